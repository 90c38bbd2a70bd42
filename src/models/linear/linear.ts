/**
 * The linear regression model (elastic net, Spark MLlib semantics; see solve.ts). A whole-model fit computes
 * the sufficient statistics partition by partition, exactly as the native strategy does, then solves.
 */
import type { Dataset } from '../../data/dataset.js';
import type { FitInput, FittedModel, ModelDefinition, SavedModel } from '../model.js';
import type { Params } from '../params.js';
import { LINEAR_PARAMS } from '../specs.js';
import { solveLinear, type LinearParams } from './solve.js';
import { linearShift, partitionedStats } from './stats.js';
import { designedData, designJson, designWidth, encodeSubset, loadDesign, standardisedImportances, type Design, type ImputeStrategy } from './design.js';
import { allRows } from '../../data/folds.js';

export function linearParams(params: Params): LinearParams {
  return {
    regParam: Number(params.regParam ?? 0),
    elasticNetParam: Number(params.elasticNetParam ?? 0),
    standardization: params.standardization !== false,
  };
}

/**
 * intercept + Σ_j b_j·x_j for the given rows of a column-major table with `stride` rows, features added in order
 * (zero coefficients skipped): every caller (the fitted model, a native worker scoring its own rows) gets the
 * same bits. One model of linearPredictionsMany.
 */
export function linearPredictions(
  coefficients: Float64Array,
  intercept: number,
  x: Float64Array,
  stride: number,
  rows: Uint32Array,
  out: Float64Array = new Float64Array(rows.length),
): Float64Array {
  linearPredictionsMany(coefficients, Float64Array.of(intercept), x, stride, rows, out);
  return out;
}

/**
 * linearPredictions of many models at once (coefficients: models × features, row-major; out: models × rows):
 * rows in blocks, each feature value read once per block and applied to every model, so the table is read once
 * instead of once per model. Each prediction adds its features in order, zero coefficients skipped, so a model
 * gets the same bits alone or among others.
 */
export function linearPredictionsMany(coefficients: Float64Array, intercepts: Float64Array, x: Float64Array, stride: number, rows: Uint32Array, out: Float64Array): void {
  const models = intercepts.length;
  const F = models > 0 ? coefficients.length / models : 0;
  const m = rows.length;
  for (let c = 0; c < models; c++) out.fill(intercepts[c], c * m, (c + 1) * m);
  const BLOCK = 512;
  const values = new Float64Array(BLOCK); // feature j of the block's rows, gathered once for every model
  for (let k0 = 0; k0 < m; k0 += BLOCK) {
    const n = Math.min(m, k0 + BLOCK) - k0;
    for (let j = 0; j < F; j++) {
      const base = j * stride;
      for (let k = 0; k < n; k++) values[k] = x[base + rows[k0 + k]];
      for (let c = 0; c < models; c++) {
        const b = coefficients[c * F + j];
        if (b === 0) continue;
        const o = c * m + k0;
        for (let k = 0; k < n; k++) out[o + k] += b * values[k];
      }
    }
  }
}

export class FittedLinear implements FittedModel {
  readonly kind = 'linear' as const;

  /** `design`: the model's encoding of categories and missing values (design.ts); coefficients are then per design column. */
  constructor(
    readonly params: Params,
    readonly features: readonly string[],
    readonly coefficients: Float64Array,
    readonly intercept: number,
    readonly design?: Design,
  ) {}

  featureImportances(data: Dataset, train: Uint32Array): Float64Array {
    return standardisedImportances(this.coefficients, this.design, data, train);
  }

  predict(data: Dataset, rows: Uint32Array): Float64Array {
    if (this.design === undefined) return linearPredictions(this.coefficients, this.intercept, data.x, data.rows, rows);
    const enc = encodeSubset(this.design, data, rows);
    return linearPredictions(this.coefficients, this.intercept, enc.x, enc.rows, allRows(enc.rows));
  }

  toJSON(): SavedModel {
    return {
      model: 'linear', params: this.params, features: [...this.features], coefficients: [...this.coefficients], intercept: this.intercept,
      ...(this.design ? { design: designJson(this.design) } : {}),
    };
  }
}

/** The impute strategy of a linear model's params (design.ts; mean when the params do not say). */
export function imputeOf(params: Params): ImputeStrategy {
  return (params.impute as ImputeStrategy | undefined) ?? 'mean';
}

export const linearRegression: ModelDefinition = {
  kind: 'linear',
  title: 'linear regression (elastic net)',
  tasks: ['regression'],
  params: LINEAR_PARAMS,
  fit(input: FitInput, params: Params): FittedModel {
    const designed = designedData(input.data, input.train, imputeOf(params), input.cache);
    const data = designed?.data ?? input.data;
    const shift = designed?.shift ?? linearShift(data, input.cache);
    const stats = partitionedStats(data, input.train, input.partitions, shift);
    const sol = solveLinear(stats, shift, linearParams(params), data.featureNames);
    return new FittedLinear(params, input.data.featureNames, sol.coefficients, sol.intercept, designed?.design);
  },
  load(json: SavedModel): FittedModel {
    const coefficients = json.coefficients;
    const intercept = json.intercept;
    const design = json.design === undefined ? undefined : loadDesign(json.design, json.features.length);
    const width = design ? designWidth(design) : json.features.length;
    if (!Array.isArray(coefficients) || coefficients.length !== width || coefficients.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new Error(`coefficients must be an array of one finite number per ${design ? 'design column' : 'feature'} (${width})`);
    }
    if (typeof intercept !== 'number' || !Number.isFinite(intercept)) throw new Error('intercept must be a finite number');
    return new FittedLinear(json.params ?? {}, json.features, Float64Array.from(coefficients as number[]), intercept, design);
  },
};
