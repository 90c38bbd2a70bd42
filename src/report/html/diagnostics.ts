/**
 * The best model's sections of the HTML report, from the result's pooled diagnostics (eval/diagnostics.ts):
 * its feature importances (mean ± σ over the folds' models), a boosted model's training curve (its test rows'
 * metrics after each iteration) and, for a classification, the confusion matrix and ROC curves of its out-of-fold
 * predictions.
 */
import type { SweepResult } from '../../sweep/result.js';
import { formatSignificant } from '../../util/format.js';
import { barChart, confusionChart, curveChart, rocChart, type BarDatum, type Cell, type CurvePoint, type RocPoint } from './charts.js';

type Section = (id: string, title: string, body: string, note?: string) => string;

/** The largest number of features drawn; the rest are summed into one line of the note. */
const TOP_FEATURES = 25;

const LINEAR = new Set(['linear', 'logistic']);

export function diagnosticsSections(r: SweepResult, section: Section): string[] {
  const d = r.diagnostics;
  if (d === undefined) return [];
  const out: string[] = [];
  const folds = `${d.folds} fold${d.folds === 1 ? '' : 's'}`;
  if (d.importances && d.importances.length > 0) {
    const linear = LINEAR.has(String(r.model));
    const total = d.importances.reduce((s, f) => s + f.mean, 0);
    const shown = d.importances.slice(0, TOP_FEATURES);
    const data: BarDatum[] = shown.map((f, i) => ({ label: f.feature, value: f.mean, sd: f.sd, text: `${formatSignificant(f.mean, 3)} ± ${formatSignificant(f.sd, 2)}`, highlight: i === 0 }));
    const what = linear ? '|coefficient| × the feature’s standard deviation (the standardised coefficient; a category’s columns summed)' : 'the impurity decrease of its splits, normalised per model (scikit-learn’s feature_importances_)';
    const rest = d.importances.length > shown.length ? ` ${d.importances.length - shown.length} more features share the remaining ${formatSignificant((1 - shown.reduce((s, f) => s + f.mean, 0) / (total || 1)) * 100, 2)}%.` : '';
    out.push(section('features', 'What the best model uses', barChart('feature-importance', `Feature importance of the best config (mean ± σ over the models of its ${folds})`, data, linear ? 'standardised |coefficient|' : 'importance'), `Importance is ${what}.${rest}`));
  }
  if (d.curve && d.curve.length > 0) {
    const charts = d.curve.map((c) => {
      const points: CurvePoint[] = c.mean.map((m, i) => ({ iteration: i + 1, mean: m, low: m - c.sd[i], high: m + c.sd[i] }));
      const last = c.mean[c.mean.length - 1];
      return curveChart(`curve-${c.metric}`, c.metric, points, `${c.metric} of the test rows after each iteration (mean ± σ over ${folds}; at ${c.mean.length}: ${formatSignificant(last, 4)})`);
    });
    const note = 'Each fold’s model scored on its test rows with its first 1, 2, … iterations (the nested models a longer fit contains): where the curve flattens, more iterations stop paying; where it turns, the model starts to overfit.';
    out.push(section('curve', 'How the best model learned', `<div class="grid">\n${charts.join('\n')}\n</div>`, note));
  }
  const classes = r.data.classes;
  if (classes && d.confusion) {
    const cells: Cell[] = d.confusion.flatMap((row, t) => {
      const n = row.reduce((s, v) => s + v, 0);
      return row.map((count, p) => ({ truth: classes[t], predicted: classes[p], count, share: n > 0 ? count / n : 0 }));
    });
    const total = d.confusion.flat().reduce((s, v) => s + v, 0);
    const right = d.confusion.reduce((s, row, i) => s + row[i], 0);
    const caption = `Confusion matrix of the best config: out-of-fold predictions of its ${folds} (${total} predictions, ${formatSignificant((100 * right) / (total || 1), 3)}% on the diagonal)`;
    const charts = [confusionChart('confusion', classes, cells, caption)];
    if (d.roc && d.roc.length > 0) {
      const points: RocPoint[] = d.roc.flatMap((c) => c.fpr.map((f, i) => ({ curve: c.label, fpr: f, tpr: c.tpr[i] })));
      const auc = r.best?.metrics.roc_auc;
      const label = d.roc.length === 1 ? `class ${d.roc[0].label} against the other` : 'each class against the rest';
      charts.push(rocChart('roc', points, `ROC of the best config's out-of-fold predictions (${label})${auc !== undefined ? `; mean ROC AUC over folds ${formatSignificant(auc, 4)}` : ''}`));
    }
    const note = 'Every row is predicted once per split by the model that did not see it (with repeats, once per repeat), the class with the highest probability. The ROC pools the folds’ probabilities at thresholds every 0.01.';
    out.push(section('classes', 'How the best model classifies', `<div class="grid">\n${charts.join('\n')}\n</div>`, note));
  }
  return out;
}
