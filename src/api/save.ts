/**
 * --save-best: refit the best config on all rows and write the fitted model as JSON; `sweep predict` reads it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { featureInfoOf, isFeatureInfo, type Dataset, type FeatureInfo } from '../data/dataset.js';
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

/** The model as saved: its own JSON, and the features' types when any is not numeric (`types`, read by predict). */
export function saveBestModel(prep: PreparedSweep, params: Params, file: string): SavedModel {
  const saved = { ...refit(prep, params).toJSON(), ...(prep.data.featureInfo ? { types: prep.data.featureInfo } : {}) };
  writeFileSync(file, JSON.stringify(saved) + '\n');
  return saved;
}

export function loadModelFile(file: string): FittedModel {
  return loadSavedModel(file).model;
}

/**
 * A saved model and the types its features had when it was fitted (absent: all numeric). A categorical feature's
 * codes in new data are read by category name (alignToModel).
 */
export function loadSavedModel(file: string): { model: FittedModel; types?: FeatureInfo[] } {
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
  const types = saved.types;
  if (types !== undefined && !(Array.isArray(types) && types.length === saved.features.length && types.every(isFeatureInfo))) {
    throw new DataError(`types must list one {kind} per feature (${saved.features.length})`, { file });
  }
  try {
    return { model: getModel(saved.model).load(saved as SavedModel), ...(types ? { types: types as FeatureInfo[] } : {}) };
  } catch (err) {
    throw new DataError(`invalid ${saved.model} model: ${(err as Error).message}`, { file });
  }
}

/** The load options that read a file's features as the model's types: its categorical ones as categories, the rest as numbers. */
export function typeOptions(features: readonly string[], types: readonly FeatureInfo[] | undefined): { categorical?: string[] } {
  const categorical = features.filter((_, j) => types?.[j]?.kind === 'categorical');
  return categorical.length > 0 ? { categorical } : {};
}

/**
 * New data with each categorical feature's codes turned into the fitted data's (by category name): a category the
 * model never saw becomes missing (NaN), which every model handles as it handles a missing value.
 */
export function alignToModel(data: Dataset, types: readonly FeatureInfo[] | undefined): Dataset {
  if (!types?.some((t) => t.kind === 'categorical')) return data;
  const x = data.x.slice();
  const info = data.featureNames.map((_, j): FeatureInfo => {
    const fitted = types[j];
    if (fitted.kind !== 'categorical') return featureInfoOf(data, j);
    const own = featureInfoOf(data, j);
    const names = own.kind === 'categorical' ? own.categories : null;
    const index = new Map(fitted.categories.map((c, i) => [c, i] as const));
    const col = x.subarray(j * data.rows, (j + 1) * data.rows);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v !== v) continue;
      const code = index.get(names === null ? String(v) : names[v]);
      col[i] = code ?? NaN;
    }
    return fitted;
  });
  return { ...data, x, featureInfo: info };
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
