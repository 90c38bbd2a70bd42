/**
 * Classification metrics as pure functions of (true class indices, predicted class probabilities), named and
 * computed as scikit-learn 1.2's scorers: accuracy, balanced_accuracy, log_loss, roc_auc (binary; one-vs-rest
 * macro for multiclass), f1 (binary, the last class positive; macro for multiclass) and brier. Probabilities are
 * row-major, one row per example and one column per class (classes in their sorted order). Each metric knows its
 * direction (CLASSIFICATION_DIRECTIONS).
 */
import type { Direction } from './direction.js';

export const CLASSIFICATION_METRICS = ['accuracy', 'balanced_accuracy', 'log_loss', 'roc_auc', 'f1', 'brier'] as const;
export type ClassificationMetric = (typeof CLASSIFICATION_METRICS)[number];

export const CLASSIFICATION_DIRECTIONS: Readonly<Record<ClassificationMetric, Direction>> = {
  accuracy: 'max',
  balanced_accuracy: 'max',
  log_loss: 'min',
  roc_auc: 'max',
  f1: 'max',
  brier: 'min',
};

type Labels = ArrayLike<number>;

function check(y: Labels, proba: ArrayLike<number>, classes: number): number {
  const n = y.length;
  if (n === 0) throw new RangeError('metrics need at least one example');
  if (!(classes >= 2)) throw new RangeError(`a classification has at least 2 classes, got ${classes}`);
  if (proba.length !== n * classes) throw new RangeError(`expected ${n} × ${classes} probabilities, got ${proba.length}`);
  for (let i = 0; i < n; i++) if (!(Number.isInteger(y[i]) && y[i] >= 0 && y[i] < classes)) throw new RangeError(`class index ${y[i]} is not one of 0…${classes - 1}`);
  return n;
}

/** The predicted class of each row: the most probable, ties to the lower class (numpy's argmax). */
export function predictedClasses(proba: ArrayLike<number>, classes: number): Int32Array {
  const n = proba.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (proba[i * classes + k] > proba[i * classes + best]) best = k;
    out[i] = best;
  }
  return out;
}

export function accuracy(y: Labels, predicted: Labels): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === predicted[i]) hits++;
  return hits / y.length;
}

/** The mean recall over the classes present in y (scikit-learn leaves absent classes out, with a warning). */
export function balancedAccuracy(y: Labels, predicted: Labels, classes: number): number {
  const total = new Float64Array(classes);
  const hit = new Float64Array(classes);
  for (let i = 0; i < y.length; i++) {
    total[y[i]]++;
    if (predicted[i] === y[i]) hit[y[i]]++;
  }
  let sum = 0;
  let present = 0;
  for (let k = 0; k < classes; k++) {
    if (total[k] === 0) continue;
    sum += hit[k] / total[k];
    present++;
  }
  return sum / present;
}

/** float64's machine epsilon: scikit-learn 1.2's log_loss clips with eps="auto" = np.finfo(float64).eps. */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

/** Mean negative log-likelihood; probabilities clipped to [eps, 1 − eps] and each row renormalised (scikit-learn). */
export function logLoss(y: Labels, proba: ArrayLike<number>, classes: number): number {
  const n = check(y, proba, classes);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let k = 0; k < classes; k++) rowSum += clip(proba[i * classes + k]);
    sum -= Math.log(clip(proba[i * classes + y[i]]) / rowSum);
  }
  return sum / n;
}

const clip = (p: number) => Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));

/**
 * Area under the ROC curve of scores for a binary truth (1 = positive): the Mann–Whitney statistic with tied
 * scores counted half, exactly roc_auc_score's value. Undefined (NaN) when one class is absent.
 */
export function binaryAuc(positive: ArrayLike<boolean>, score: ArrayLike<number>): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const midRank = (i + j + 2) / 2; // ranks from 1, ties get their mean
    for (let k = i; k <= j; k++) {
      if (positive[order[k]]) {
        rankSum += midRank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * roc_auc_score: binary on the last class's probability; multiclass one-vs-rest, macro average over the classes
 * that occur in `y` (scikit-learn refuses a class with no examples; a small fold's test rows may lack one). NaN
 * when no class has both examples and non-examples (one class in `y`).
 */
export function rocAuc(y: Labels, proba: ArrayLike<number>, classes: number): number {
  const n = check(y, proba, classes);
  const column = (k: number) => Float64Array.from({ length: n }, (_, i) => proba[i * classes + k]);
  const is = (k: number) => Array.from({ length: n }, (_, i) => y[i] === k);
  if (classes === 2) return binaryAuc(is(1), column(1));
  let sum = 0;
  let counted = 0;
  for (let k = 0; k < classes; k++) {
    const auc = binaryAuc(is(k), column(k));
    if (Number.isNaN(auc)) continue;
    sum += auc;
    counted++;
  }
  return counted > 0 ? sum / counted : NaN;
}

/** f1_score: binary for the last class (pos_label), macro over classes otherwise; 0 where precision and recall are 0. */
export function f1(y: Labels, predicted: Labels, classes: number): number {
  const f1Of = (k: number) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < y.length; i++) {
      if (predicted[i] === k && y[i] === k) tp++;
      else if (predicted[i] === k) fp++;
      else if (y[i] === k) fn++;
    }
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  };
  if (classes === 2) return f1Of(1);
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += f1Of(k);
  return sum / classes;
}

/**
 * Brier score: binary, scikit-learn's brier_score_loss on the last class's probability; multiclass, Brier's own
 * definition (the mean over rows of Σₖ (pₖ − [y = k])², which is twice the binary one for two classes).
 */
export function brier(y: Labels, proba: ArrayLike<number>, classes: number): number {
  const n = check(y, proba, classes);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (classes === 2) {
      const d = proba[i * 2 + 1] - (y[i] === 1 ? 1 : 0);
      sum += d * d;
      continue;
    }
    for (let k = 0; k < classes; k++) {
      const d = proba[i * classes + k] - (y[i] === k ? 1 : 0);
      sum += d * d;
    }
  }
  return sum / n;
}

/** Every classification metric of some predictions. */
/**
 * Every classification metric of some predictions. roc_auc is left out when it is undefined (the rows hold one
 * class only): the fold still has its other scores, and the report shows roc_auc only where every fold has one.
 */
export function classificationMetrics(y: Labels, proba: ArrayLike<number>, classes: number): Partial<Record<ClassificationMetric, number>> {
  check(y, proba, classes);
  const predicted = predictedClasses(proba, classes);
  const auc = rocAuc(y, proba, classes);
  return {
    accuracy: accuracy(y, predicted),
    balanced_accuracy: balancedAccuracy(y, predicted, classes),
    log_loss: logLoss(y, proba, classes),
    ...(Number.isNaN(auc) ? {} : { roc_auc: auc }),
    f1: f1(y, predicted, classes),
    brier: brier(y, proba, classes),
  };
}
