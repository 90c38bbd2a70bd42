/**
 * The logistic regression model (Spark MLlib's LogisticRegression parameters: regParam, elasticNetParam,
 * standardization, fitIntercept, family; the solver is linear/logistic.ts). It fits a classification only: the
 * training rows' features are gathered column-major, the class indices are the dataset's, and the fitted model's
 * probabilities are scored by the classification metrics.
 */
import type { Dataset } from '../data/dataset.js';
import { ModelError } from '../errors.js';
import { predictedClasses } from '../eval/classification.js';
import { logisticProbabilities, solveLogistic, type LogisticModel, type LogisticOptions, type PartitionRows } from './linear/logistic.js';
import { partitionBounds } from '../data/partitions.js';
import type { FitInput, FittedModel, ModelDefinition, SavedModel } from './model.js';
import type { Params } from './params.js';
import { defaultParams, LOGISTIC_PARAMS } from './specs.js';
import { designedData, designJson, designWidth, encodeSubset, loadDesign, standardisedImportances, type Design } from './linear/design.js';
import { imputeOf } from './linear/linear.js';

export function logisticOptions(params: Params): LogisticOptions {
  const p = { ...defaultParams('logistic', 'classification'), ...params };
  return {
    regParam: Number(p.regParam),
    elasticNetParam: Number(p.elasticNetParam),
    standardization: p.standardization !== false && p.standardization !== 'false',
    fitIntercept: p.fitIntercept !== false && p.fitIntercept !== 'false',
    family: (p.family as LogisticOptions['family']) ?? 'auto',
  };
}

/** Rows of a column-major table, column-major: feature j of row k at j·rows.length + k. */
function gatherRows(data: Dataset, rows: Uint32Array): Float64Array {
  const n = rows.length;
  const p = data.featureNames.length;
  const out = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const base = j * data.rows;
    for (let k = 0; k < n; k++) out[j * n + k] = data.x[base + rows[k]];
  }
  return out;
}

export class FittedLogistic implements FittedModel {
  readonly kind = 'logistic' as const;
  /** `design`: the model's encoding of categories and missing values (linear/design.ts); coefficients are then per design column. */
  constructor(
    readonly params: Params,
    readonly features: readonly string[],
    readonly classes: readonly string[],
    readonly model: LogisticModel,
    readonly design?: Design,
  ) {}

  featureImportances(data: Dataset, train: Uint32Array): Float64Array {
    return standardisedImportances(this.model.coefficients, this.design, data, train);
  }

  predictProba(data: Dataset, rows: Uint32Array): Float64Array {
    if (data.featureNames.length !== this.features.length) {
      throw new ModelError(`the model was fitted on ${this.features.length} features, the data has ${data.featureNames.length}`);
    }
    const x = this.design ? encodeSubset(this.design, data, rows).x : gatherRows(data, rows);
    return logisticProbabilities(this.model, x, rows.length);
  }

  predict(data: Dataset, rows: Uint32Array): Float64Array {
    return Float64Array.from(predictedClasses(this.predictProba(data, rows), this.classes.length));
  }

  toJSON(): SavedModel {
    const m = this.model;
    return {
      model: 'logistic',
      params: this.params,
      features: [...this.features],
      classes: [...this.classes],
      binomial: m.binomial,
      coefficients: Array.from(m.coefficients),
      intercepts: Array.from(m.intercepts),
      ...(this.design ? { design: designJson(this.design) } : {}),
    };
  }
}

/**
 * The training rows of each logical partition (data/partitions.ts), ascending: the solver's sums are taken over
 * them one partition at a time and merged in partition order, as the native strategy's workers do.
 */
export function trainingPartitions(data: Dataset, train: Uint32Array, partitions: number): PartitionRows[] {
  const bounds = partitionBounds(data.rows, partitions);
  const classes = data.classes?.length ?? 0;
  const out: PartitionRows[] = [];
  let k = 0;
  for (let p = 0; p < partitions; p++) {
    const start = k;
    while (k < train.length && train[k] < bounds[p + 1]) k++;
    out.push({ x: data.x, stride: data.rows, rows: train.subarray(start, k), y: data.y, classes });
  }
  return out;
}

/** A class without training rows cannot be fitted: named, with what to do. */
export function checkClassesPresent(data: Dataset, train: Uint32Array): void {
  const classes = data.classes!;
  const seen = new Uint8Array(classes.length);
  for (let k = 0; k < train.length; k++) seen[data.y[train[k]]] = 1;
  const missing = classes.findIndex((_, c) => seen[c] === 0);
  if (missing >= 0) throw new ModelError(`class ${JSON.stringify(classes[missing])} has no training rows in this fold: logistic regression cannot fit it`, 'use fewer folds, or drop that class');
}

function fit(input: FitInput, params: Params): FittedLogistic {
  const { data, train } = input;
  const classes = data.classes;
  if (classes === undefined) throw new ModelError('logistic regression fits a classification; the target is numeric (use --model linear, or --task classification)');
  checkClassesPresent(data, train);
  const designed = designedData(data, train, imputeOf(params), input.cache);
  const table = designed?.data ?? data;
  const parts = trainingPartitions(table, train, input.partitions);
  const model = solveLogistic(parts, table.featureNames.length, classes.length, logisticOptions(params), (j) => table.featureNames[j]);
  return new FittedLogistic(params, data.featureNames, classes, model, designed?.design);
}

function load(json: SavedModel): FittedLogistic {
  const bad = (what: string): never => {
    throw new ModelError(`not a saved logistic regression: ${what}`);
  };
  const { classes, features } = json;
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) bad('features is missing');
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === 'string')) bad('classes must be a list of at least 2 class names');
  const binomial = json.binomial === true;
  const rowsOf = binomial ? 1 : classes!.length;
  if (!binomial && json.binomial !== false) bad('binomial must be true or false');
  if (binomial && classes!.length !== 2) bad('a binomial model has 2 classes');
  const finite = (k: string, n: number): Float64Array => {
    const a = json[k];
    if (!Array.isArray(a) || a.length !== n || !a.every((v) => typeof v === 'number' && Number.isFinite(v))) bad(`${k} must be ${n} finite numbers`);
    return Float64Array.from(a as number[]);
  };
  let design: Design | undefined;
  try {
    design = json.design === undefined ? undefined : loadDesign(json.design, features.length);
  } catch (err) {
    bad((err as Error).message);
  }
  const p = design ? designWidth(design) : features.length;
  const model: LogisticModel = {
    classes: classes!.length, features: p, binomial, iterations: 0,
    coefficients: finite('coefficients', rowsOf * p), intercepts: finite('intercepts', rowsOf),
  };
  return new FittedLogistic(json.params ?? {}, features, classes!, model, design);
}

export const logisticRegression: ModelDefinition = {
  kind: 'logistic',
  title: 'logistic regression',
  tasks: ['classification'],
  params: LOGISTIC_PARAMS,
  fit,
  load,
};
