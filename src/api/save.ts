/**
 * --save-best: refit the best config on all rows and write the fitted model as JSON; `sweep predict` reads it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Dataset } from '../data/dataset.js';
import { allRows } from '../data/folds.js';
import { DataError } from '../errors.js';
import type { FittedModel, SavedModel } from '../models/model.js';
import type { Params } from '../models/params.js';
import { getModel, isModelKind, MODEL_KINDS } from '../models/registry.js';
import type { PreparedSweep } from './types.js';

/** The config fitted on every row the sweep searched (--save-best's model, --holdout's scored one). */
export function refit(prep: PreparedSweep, params: Params): FittedModel {
  const model = getModel(prep.model);
  return model.fit({ data: prep.data, train: allRows(prep.data.rows), seed: prep.seed, partitions: prep.partitions, cache: new Map() }, params);
}

export function saveBestModel(prep: PreparedSweep, params: Params, file: string): SavedModel {
  const saved = refit(prep, params).toJSON();
  writeFileSync(file, JSON.stringify(saved) + '\n');
  return saved;
}

export function loadModelFile(file: string): FittedModel {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'model file not found' : code ? `cannot read model file (${code})` : 'not a JSON model file', { file });
  }
  const saved = json as Partial<SavedModel>;
  if (!saved || typeof saved !== 'object' || typeof saved.model !== 'string' || !Array.isArray(saved.features)) {
    throw new DataError('not a sweep model file (expected {model, params, features, ...})', { file });
  }
  if (saved.features.length === 0 || saved.features.some((f) => typeof f !== 'string' || f === '') || new Set(saved.features).size !== saved.features.length) {
    throw new DataError('features must be a list of distinct, non-empty column names', { file });
  }
  if (!isModelKind(saved.model)) throw new DataError(`unknown model ${JSON.stringify(saved.model).slice(0, 40)} (expected one of ${MODEL_KINDS.map((k) => `"${k}"`).join(', ')})`, { file });
  try {
    return getModel(saved.model).load(saved as SavedModel);
  } catch (err) {
    throw new DataError(`invalid ${saved.model} model: ${(err as Error).message}`, { file });
  }
}

/** Predictions for every row of `data`, whose columns must include the model's features (a classifier: class indices). */
export function predictAll(model: FittedModel, data: Dataset): Float64Array {
  return model.predict(data, allRows(data.rows));
}

/** A classifier's class probabilities for every row of `data` (rows × classes, row-major). */
export function predictProbaAll(model: FittedModel, data: Dataset): Float64Array {
  if (!model.predictProba) throw new DataError(`model ${model.kind} gives no class probabilities`);
  return model.predictProba(data, allRows(data.rows));
}
