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

export class FittedLinear implements FittedModel {
  readonly kind = 'linear' as const;

  constructor(
    readonly params: Params,
    readonly features: readonly string[],
    readonly coefficients: Float64Array,
    readonly intercept: number,
  ) {}

  predict(data: Dataset, rows: Uint32Array): Float64Array {
    const out = new Float64Array(rows.length).fill(this.intercept);
    const n = data.rows;
    for (let j = 0; j < this.coefficients.length; j++) {
      const b = this.coefficients[j];
      if (b === 0) continue;
      const base = j * n;
      for (let k = 0; k < rows.length; k++) out[k] += b * data.x[base + rows[k]];
    }
    return out;
  }

  toJSON(): SavedModel {
    return { model: 'linear', params: this.params, features: [...this.features], coefficients: [...this.coefficients], intercept: this.intercept };
  }
}

export const linearRegression: ModelDefinition = {
  kind: 'linear',
  title: 'linear regression (elastic net)',
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
    if (!Array.isArray(coefficients) || coefficients.length !== json.features.length || coefficients.some((v) => typeof v !== 'number')) {
      throw new Error('coefficients must be an array of one number per feature');
    }
    if (typeof intercept !== 'number') throw new Error('intercept must be a number');
    return new FittedLinear(json.params ?? {}, json.features, Float64Array.from(coefficients as number[]), intercept);
  },
};
