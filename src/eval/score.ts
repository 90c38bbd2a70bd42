/**
 * Scoring a fold's test rows, whatever the task: a regression's predictions get the regression metrics, a
 * classification's class probabilities (rows × classes, row-major) the classification ones. Every strategy
 * scores through this one function, so they report the same numbers.
 */
import { classificationMetrics } from './classification.js';
import { allMetrics, type MetricValues } from './metrics.js';

/** The task's metrics of one fold: `classes` is 0 for a regression, else the number of classes. */
export function scorePredictions(truth: Float64Array, predicted: Float64Array, classes: number): MetricValues {
  return classes > 0 ? { ...classificationMetrics(truth, predicted, classes) } : { ...allMetrics(truth, predicted) };
}
