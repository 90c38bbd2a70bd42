/** The built-in models by kind. A worker runs only these (and UDF modules from its own directory). */
import { UsageError } from '../errors.js';
import type { ModelDefinition, ModelKind } from './model.js';
import { randomForest } from './forest.js';
import { gradientBoosting } from './gbt.js';
import { linearRegression } from './linear/linear.js';
import { logisticRegression } from './logistic.js';

export const MODEL_KINDS: readonly ModelKind[] = ['rf', 'gbt', 'linear', 'logistic'];

const MODELS: Record<ModelKind, ModelDefinition> = { rf: randomForest, gbt: gradientBoosting, linear: linearRegression, logistic: logisticRegression };

export function getModel(kind: string): ModelDefinition {
  const aliases: Record<string, ModelKind> = { rf: 'rf', forest: 'rf', 'random-forest': 'rf', gbt: 'gbt', linear: 'linear', lr: 'linear', logistic: 'logistic', logreg: 'logistic' };
  const k = Object.hasOwn(aliases, kind) ? aliases[kind] : undefined;
  if (!k) throw new UsageError(`unknown model "${kind}" (choose rf, gbt, linear or logistic)`);
  return MODELS[k];
}

export function isModelKind(kind: string): kind is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(kind);
}
