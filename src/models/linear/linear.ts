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

  constructor(
    readonly params: Params,
    readonly features: readonly string[],
    readonly coefficients: Float64Array,
    readonly intercept: number,
  ) {}

  predict(data: Dataset, rows: Uint32Array): Float64Array {
    return linearPredictions(this.coefficients, this.intercept, data.x, data.rows, rows);
  }

  toJSON(): SavedModel {
    return { model: 'linear', params: this.params, features: [...this.features], coefficients: [...this.coefficients], intercept: this.intercept };
  }
}

export const linearRegression: ModelDefinition = {
  kind: 'linear',
  title: 'linear regression (elastic net)',
  tasks: ['regression'],
  params: LINEAR_PARAMS,
  fit(input: FitInput, params: Params): FittedModel {
    const shift = linearShift(input.data, input.cache);
    const stats = partitionedStats(input.data, input.train, input.partitions, shift);
    const sol = solveLinear(stats, shift, linearParams(params), input.data.featureNames);
    return new FittedLinear(params, input.data.featureNames, sol.coefficients, sol.intercept);
  },
  load(json: SavedModel): FittedModel {
    const coefficients = json.coefficients;
    const intercept = json.intercept;
    if (!Array.isArray(coefficients) || coefficients.length !== json.features.length || coefficients.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new Error('coefficients must be an array of one finite number per feature');
    }
    if (typeof intercept !== 'number' || !Number.isFinite(intercept)) throw new Error('intercept must be a finite number');
    return new FittedLinear(json.params ?? {}, json.features, Float64Array.from(coefficients as number[]), intercept);
  },
};
