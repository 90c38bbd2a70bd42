/**
 * Classification metrics against scikit-learn 1.2.1 (Debian's python3-sklearn), values computed once and
 * committed as literals: accuracy_score, balanced_accuracy_score, log_loss (eps="auto"), roc_auc_score (binary;
 * multi_class="ovr", average="macro"), f1_score (binary; average="macro"), brier_score_loss, and the multiclass
 * Brier score by its definition.
 */
import { describe, expect, it } from 'vitest';
import { binaryAuc, classificationMetrics, CLASSIFICATION_DIRECTIONS, logLoss, predictedClasses, rocAuc } from '../../dist/eval/classification.js';

/** Each metric equal to scikit-learn's value to 14 digits. */
function expectMetrics(m: Record<string, number>, sklearn: Record<string, number>): void {
  expect(Object.keys(m).sort()).toEqual(Object.keys(sklearn).sort());
  for (const [name, value] of Object.entries(sklearn)) expect(m[name], name).toBeCloseTo(value, 14);
}

describe('classification metrics', () => {
  it('match scikit-learn on a binary case with a tied score', () => {
    const y = [0, 1, 1, 0, 1, 0, 1, 1];
    const p1 = [0.1, 0.8, 0.6, 0.6, 0.3, 0.2, 0.9, 0.5];
    const proba = p1.flatMap((p) => [1 - p, p]);
    expectMetrics(classificationMetrics(y, proba, 2), {
      accuracy: 0.625, balanced_accuracy: 0.6333333333333333, log_loss: 0.4976555593087624, roc_auc: 0.8333333333333334, f1: 0.6666666666666665, brier: 0.16999999999999998,
    });
  });
  it('match scikit-learn on a 3-class case (ties in argmax to the lower class, a zero probability)', () => {
    const y = [0, 1, 2, 2, 1, 0, 2];
    const proba = [0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.2, 0.2, 0.6, 0, 0.5, 0.5, 0.3, 0.4, 0.3, 0.5, 0.5, 0, 0.1, 0.1, 0.8];
    expect([...predictedClasses(proba, 3)]).toEqual([0, 1, 2, 1, 1, 0, 2]);
    expectMetrics(classificationMetrics(y, proba, 3), {
      accuracy: 0.8571428571428571, balanced_accuracy: 0.8888888888888888, log_loss: 0.5577221193969957, roc_auc: 0.9333333333333332, f1: 0.8666666666666667, brier: 0.32,
    });
  });
  it('clip a certain wrong prediction as scikit-learn does (log loss 18.02…, not Infinity)', () => {
    expect(logLoss([0, 1], [1, 0, 1, 0], 2)).toBeCloseTo(18.021826694558577, 10);
  });
  it('count tied scores half in the AUC and know each direction', () => {
    expect(binaryAuc([false, true], [0.5, 0.5])).toBe(0.5);
    expect(binaryAuc([true, true], [0.1, 0.9])).toBeNaN();
    expect(CLASSIFICATION_DIRECTIONS).toEqual({ accuracy: 'max', balanced_accuracy: 'max', log_loss: 'min', roc_auc: 'max', f1: 'max', brier: 'min' });
    expect(() => classificationMetrics([0, 3], [0.5, 0.5, 0.5, 0.5], 2)).toThrow('class index 3 is not one of 0…1');
  });
  it('average the one-vs-rest AUC over the classes a fold holds, and leave roc_auc out when it has one class', () => {
    // Three classes, class 2 absent from these rows: the macro AUC of classes 0 and 1 (each perfectly ranked).
    const proba = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.3, 0.6, 0.1];
    expect(rocAuc([0, 1, 0, 1], proba, 3)).toBe(1);
    const one = classificationMetrics([1, 1], [0.3, 0.7, 0.4, 0.6], 2);
    expect(Object.keys(one)).toEqual(['accuracy', 'balanced_accuracy', 'log_loss', 'f1', 'brier']);
  });
});
