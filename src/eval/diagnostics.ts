/**
 * What a task measures beside its metrics, for the report's model charts: the fitted model's feature
 * importances, and for a classification the confusion counts and a histogram of the predicted probabilities of
 * the test rows — enough to pool the out-of-fold predictions of every fold into one confusion matrix and one
 * ROC curve per class without keeping a prediction per row. Everything is counted from the same predictions
 * the metrics are computed from, so it is the same under every strategy.
 *
 * Score histograms: ROC_BINS equal bins of probability per curve (the positive class for two classes; each
 * class one-vs-rest otherwise), the positives' counts then the negatives'. Summed over folds, cumulating the
 * bins from the top gives the pooled ROC at every 1/ROC_BINS threshold (exact at those thresholds).
 */
import { predictedClasses } from './classification.js';
import { meanStd } from './metrics.js';

/** Probability bins of a score histogram. */
export const ROC_BINS = 100;
/** Above this many classes, no confusion counts or histograms are kept (they grow with the square). */
export const MAX_DIAGNOSTIC_CLASSES = 20;

export interface TaskDiagnostics {
  /** The fitted model's importance of each feature (see FittedModel.importances). */
  importances?: number[];
  /** Boosting: metrics of the test rows after each iteration (FittedModel.trainingCurve). */
  curve?: TrainingCurve[];
  /** Classification: counts, true class × predicted class, row-major. */
  confusion?: number[];
  /** Classification: per curve, ROC_BINS counts of positives then ROC_BINS of negatives. */
  scores?: number[];
}

/**
 * One metric of a boosted model's test rows after each of its iterations (values[i]: with i + 1 iterations; the
 * last is the task's own metric): regression r2 and rmse, classification log_loss and accuracy.
 */
export interface TrainingCurve {
  metric: string;
  values: number[];
}

/** The most iterations a curve may hold (a checkpoint or cluster record is checked against it). */
export const MAX_CURVE_POINTS = 100_000;

/** The ROC curves a classification of `classes` classes draws: 1 for two classes, one per class otherwise. */
export function rocCurves(classes: number): number {
  return classes === 2 ? 1 : classes;
}

/** Confusion counts and score histograms of a classifier's probabilities (rows × classes) against the truth. */
export function predictionDiagnostics(truth: Float64Array, proba: Float64Array, classes: number): TaskDiagnostics {
  if (classes < 2 || classes > MAX_DIAGNOSTIC_CLASSES) return {};
  const n = truth.length;
  const confusion = new Array<number>(classes * classes).fill(0);
  const predicted = predictedClasses(proba, classes);
  for (let i = 0; i < n; i++) confusion[truth[i] * classes + predicted[i]]++;
  const curves = rocCurves(classes);
  const scores = new Array<number>(curves * 2 * ROC_BINS).fill(0);
  for (let c = 0; c < curves; c++) {
    const cls = classes === 2 ? 1 : c;
    const base = c * 2 * ROC_BINS;
    for (let i = 0; i < n; i++) {
      const p = proba[i * classes + cls];
      const bin = Math.min(ROC_BINS - 1, Math.max(0, Math.floor(p * ROC_BINS)));
      scores[base + (truth[i] === cls ? 0 : ROC_BINS) + bin]++;
    }
  }
  return { confusion, scores };
}

/** Why `v` is not a task's diagnostics for `features` features (untrusted JSON), or undefined when it is. */
export function diagnosticsProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'diagnostics is not an object';
  const d = v as Record<string, unknown>;
  for (const key of Object.keys(d)) if (key !== 'importances' && key !== 'confusion' && key !== 'scores' && key !== 'curve') return `diagnostics has an unknown field ${key}`;
  const numbers = (key: string, max: number, counts: boolean) => {
    const a = d[key];
    if (a === undefined) return undefined;
    if (!Array.isArray(a) || a.length > max) return `diagnostics.${key} is not an array of at most ${max} numbers`;
    for (const x of a) if (typeof x !== 'number' || !Number.isFinite(x) || (counts && (x < 0 || !Number.isInteger(x)))) return `diagnostics.${key} holds ${JSON.stringify(x)}, not a ${counts ? 'count' : 'finite number'}`;
    return undefined;
  };
  return numbers('importances', 1_000_000, false) ?? numbers('confusion', MAX_DIAGNOSTIC_CLASSES ** 2, true) ?? numbers('scores', MAX_DIAGNOSTIC_CLASSES * 2 * ROC_BINS, true) ?? curveProblem(d.curve);
}

function curveProblem(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > 8) return 'diagnostics.curve is not a list of at most 8 curves';
  for (const c of v) {
    if (c === null || typeof c !== 'object' || typeof c.metric !== 'string' || !Array.isArray(c.values) || Object.keys(c).length !== 2) return 'diagnostics.curve holds something other than { metric, values }';
    if (c.values.length > MAX_CURVE_POINTS || !c.values.every((x: unknown) => typeof x === 'number' && Number.isFinite(x))) return `diagnostics.curve ${JSON.stringify(c.metric)} is not a list of at most ${MAX_CURVE_POINTS} finite numbers`;
  }
  return undefined;
}

/** A trial's pooled diagnostics for the report (SweepResult.diagnostics). */
export interface PooledDiagnostics {
  /** Folds whose diagnostics were pooled. */
  folds: number;
  /** Per feature: the mean and standard deviation over folds, largest mean first. */
  importances?: { feature: string; mean: number; sd: number }[];
  /** Summed over folds: counts[true][predicted]. */
  confusion?: number[][];
  /** One curve per class (one-vs-rest) or one for two classes: the pooled ROC at every bin threshold. */
  roc?: { label: string; fpr: number[]; tpr: number[] }[];
  /** Boosting: per metric, its mean and standard deviation over folds after each iteration (1, 2, …). */
  curve?: { metric: string; mean: number[]; sd: number[] }[];
}

/** Pool the diagnostics of one config's folds (in fold order). */
export function poolDiagnostics(list: readonly TaskDiagnostics[], features: readonly string[], classes: readonly string[] | undefined): PooledDiagnostics | undefined {
  if (list.length === 0) return undefined;
  const out: PooledDiagnostics = { folds: list.length };
  const imps = list.map((d) => d.importances).filter((a): a is number[] => a !== undefined && a.length === features.length);
  if (imps.length === list.length) {
    out.importances = features
      .map((feature, j) => {
        const { mean, std } = meanStd(imps.map((a) => a[j]));
        return { feature, mean, sd: std };
      })
      .sort((a, b) => b.mean - a.mean || a.feature.localeCompare(b.feature));
  }
  const first = list[0].curve;
  // Pooled when every fold has the same curves of the same length (early stopping may end folds apart: then none).
  if (first && list.every((d) => d.curve?.length === first.length && d.curve.every((c, i) => c.metric === first[i].metric && c.values.length === first[i].values.length))) {
    out.curve = first.map((c, i) => {
      const per = c.values.map((_, it) => meanStd(list.map((d) => d.curve![i].values[it])));
      return { metric: c.metric, mean: per.map((m) => m.mean), sd: per.map((m) => m.std) };
    });
  }
  const K = classes?.length ?? 0;
  if (K >= 2 && list.every((d) => d.confusion?.length === K * K)) {
    out.confusion = Array.from({ length: K }, (_, t) => Array.from({ length: K }, (_, p) => list.reduce((s, d) => s + d.confusion![t * K + p], 0)));
  }
  const curves = rocCurves(K);
  if (K >= 2 && list.every((d) => d.scores?.length === curves * 2 * ROC_BINS)) {
    out.roc = Array.from({ length: curves }, (_, c) => {
      const base = c * 2 * ROC_BINS;
      const pos = Array.from({ length: ROC_BINS }, (_, b) => list.reduce((s, d) => s + d.scores![base + b], 0));
      const neg = Array.from({ length: ROC_BINS }, (_, b) => list.reduce((s, d) => s + d.scores![base + ROC_BINS + b], 0));
      const P = pos.reduce((s, v) => s + v, 0);
      const N = neg.reduce((s, v) => s + v, 0);
      const fpr = [0];
      const tpr = [0];
      let tp = 0;
      let fp = 0;
      for (let b = ROC_BINS - 1; b >= 0; b--) {
        tp += pos[b];
        fp += neg[b];
        if (pos[b] + neg[b] === 0) continue;
        fpr.push(N > 0 ? fp / N : 0);
        tpr.push(P > 0 ? tp / P : 0);
      }
      return { label: K === 2 ? classes![1] : classes![c], fpr, tpr };
    });
  }
  return out;
}
