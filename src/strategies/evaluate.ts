/**
 * Evaluating one task (scikit-learn's `_fit_and_score`): fit on the fold's training rows, predict its test rows,
 * score, and time fit and predict apart. The same function runs inline, in a pool thread or in a cluster worker,
 * so every strategy that evaluates whole models gives the same numbers.
 */
import { performance } from 'node:perf_hooks';
import { classCount, type Dataset } from '../data/dataset.js';
import { testRows, trainRows, type FoldPlan } from '../data/folds.js';
import { predictionDiagnostics, type TaskDiagnostics, type TrainingCurve } from '../eval/diagnostics.js';
import { scorePredictions } from '../eval/score.js';
import type { FittedModel, ModelDefinition } from '../models/model.js';
import { ModelError } from '../errors.js';
import type { Params } from '../models/params.js';
import type { TaskOutcome } from './tasks.js';

export interface EvaluationContext {
  data: Dataset;
  folds: FoldPlan;
  seed: number;
  partitions: number;
  /** Per-thread cache shared by the tasks this thread runs (binned data, shifts). */
  cache: Map<string, unknown>;
}

/** Training and test rows of a fold, computed once per thread and fold. */
export function foldRows(ctx: EvaluationContext, fold: number): { train: Uint32Array; test: Uint32Array } {
  const key = `fold:${fold}`;
  let rows = ctx.cache.get(key) as { train: Uint32Array; test: Uint32Array } | undefined;
  if (!rows) {
    rows = { train: trainRows(ctx.folds, fold), test: testRows(ctx.folds, fold) };
    ctx.cache.set(key, rows);
  }
  return rows;
}

/** Fit, predict and score one (config, fold). Throws what the model throws; the caller records failures. */
export function evaluateTask(ctx: EvaluationContext, model: ModelDefinition, params: Params, config: number, fold: number): TaskOutcome {
  const { train, test } = foldRows(ctx, fold);
  const t0 = performance.now();
  const fitted = model.fit({ data: ctx.data, train, seed: ctx.seed, partitions: ctx.partitions, cache: ctx.cache }, params);
  const t1 = performance.now();
  const predicted = predictionsFor(fitted, ctx.data, test);
  const t2 = performance.now();
  return { config, fold, status: 'ok', ...scoreTask(ctx.data, test, predicted, fitted, train), fitMs: t1 - t0, predictMs: t2 - t1 };
}

/**
 * A task's metrics and diagnostics (eval/diagnostics.ts: the model's importances, a classifier's confusion counts
 * and score histograms) from its predictions against `truth`, the labels of the predicted rows in their order.
 */
export function scoreTruth(data: Dataset, truth: Float64Array, predicted: Float64Array, importances: Float64Array | undefined, curve?: TrainingCurve[]): { metrics: Record<string, number>; diagnostics: TaskDiagnostics } {
  const classes = classCount(data);
  const diagnostics: TaskDiagnostics = data.classes === undefined ? {} : predictionDiagnostics(truth, predicted, classes);
  if (importances !== undefined) diagnostics.importances = Array.from(importances);
  if (curve !== undefined) diagnostics.curve = curve;
  return { metrics: scorePredictions(truth, predicted, classes), diagnostics };
}

/**
 * scoreTruth for a fitted model's predictions of the test rows, with what the model reports of itself: its
 * importances (from the training rows) and a boosted model's training curve (on the test rows and their truth).
 */
export function scoreModel(data: Dataset, test: Uint32Array, truth: Float64Array, predicted: Float64Array, fitted: FittedModel, train: Uint32Array): { metrics: Record<string, number>; diagnostics: TaskDiagnostics } {
  return scoreTruth(data, truth, predicted, fitted.featureImportances?.(data, train), fitted.trainingCurve?.(data, test, truth));
}

/** scoreModel with the test rows' truth gathered here. */
export function scoreTask(data: Dataset, test: Uint32Array, predicted: Float64Array, fitted: FittedModel, train: Uint32Array): { metrics: Record<string, number>; diagnostics: TaskDiagnostics } {
  return scoreModel(data, test, truthOf(data, test), predicted, fitted, train);
}

function truthOf(data: Dataset, rows: Uint32Array): Float64Array {
  const truth = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) truth[k] = data.y[rows[k]];
  return truth;
}

/** What the task's metrics read: a regression's predicted values, a classifier's class probabilities (rows × classes). */
export function predictionsFor(fitted: FittedModel, data: Dataset, rows: Uint32Array): Float64Array {
  if (data.classes === undefined) return fitted.predict(data, rows);
  if (!fitted.predictProba) throw new ModelError(`model ${fitted.kind} gives no class probabilities`);
  return fitted.predictProba(data, rows);
}

/** The task's metrics of predictions for some rows of the data (scorePredictions with those rows' truth). */
export function scoreRows(data: Dataset, rows: Uint32Array, predicted: Float64Array): Record<string, number> {
  return scorePredictions(truthOf(data, rows), predicted, classCount(data));
}
