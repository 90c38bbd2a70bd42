/**
 * Parameter importance from the trials themselves: for each swept parameter, the share of the ranking metric's
 * variance across trials that the parameter's marginal means explain — the first-order (main-effect) term of a
 * functional ANOVA, as Optuna's fANOVA evaluator reports, estimated by grouping the trials instead of fitting a
 * surrogate forest. Trials are grouped by the parameter's value (a list, or a range with few distinct values) or
 * by quantile bins of it (a range: √n bins, at most 10). The estimate is ε² (epsilon squared), η² corrected for
 * the variance that k groups explain by chance: (SS_between − (k − 1)·MS_within) / SS_total, clipped at 0, so a
 * parameter with no effect scores near 0 even with few trials. On a full grid (every level crossed with every
 * other, the balanced design) η² is exactly fANOVA's main-effect share.
 *
 * `share` normalises the ε² to sum to 1 (Optuna's convention); `epsilon2` keeps the absolute size: two
 * parameters whose ε² sum to 0.3 leave 70% of the variance to interactions, other parameters and fold noise.
 */
import type { TrialResult } from '../sweep/result.js';

export interface ParamImportance {
  name: string;
  /** ε²: the share of the metric's variance the parameter's groups explain, beyond chance (0 … 1). */
  epsilon2: number;
  /** ε² over the sum of every parameter's (Optuna's normalisation); 0 when none explains anything. */
  share: number;
  /** Groups the trials were split into. */
  groups: number;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Group labels of the trials for one parameter: its values (a list), or quantile bins of a range's values. */
function groupsOf(values: readonly unknown[], list: boolean): number[] {
  const distinct = [...new Set(values.map((v) => JSON.stringify(v)))];
  const bins = Math.min(10, Math.max(2, Math.floor(Math.sqrt(values.length))));
  if (list || distinct.length <= bins || !values.every(isNumber)) return values.map((v) => distinct.indexOf(JSON.stringify(v)));
  const order = values.map((v, i) => ({ v: v as number, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const out = new Array<number>(values.length);
  // Equal-count bins by rank; equal values share the bin of their first occurrence.
  let bin = 0;
  for (let k = 0; k < order.length; k++) {
    const want = Math.floor((k * bins) / order.length);
    if (k > 0 && order[k].v !== order[k - 1].v) bin = want;
    out[order[k].i] = bin;
  }
  return out;
}

/**
 * ε² of every parameter that varies among the ranked trials, largest first; empty with fewer than 3 trials.
 * `isList(name)`: the parameter was swept over a list of values (grouped by value); otherwise a range (binned).
 */
export function paramImportance(trials: readonly TrialResult[], metric: string, names: readonly string[], isList: (name: string) => boolean = () => false): ParamImportance[] {
  const ok = trials.filter((t) => t.status === 'ok' && t.metrics !== null && isNumber(t.metrics[metric]));
  if (ok.length < 3) return [];
  const y = ok.map((t) => t.metrics![metric]);
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const total = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const raw: Omit<ParamImportance, 'share'>[] = [];
  for (const name of names) {
    const g = groupsOf(ok.map((t) => t.params[name] ?? null), isList(name));
    const k = new Set(g).size;
    if (k < 2) continue;
    const sums = new Map<number, { n: number; s: number }>();
    g.forEach((label, i) => {
      const e = sums.get(label) ?? { n: 0, s: 0 };
      e.n++;
      e.s += y[i];
      sums.set(label, e);
    });
    let between = 0;
    for (const e of sums.values()) between += e.n * (e.s / e.n - mean) ** 2;
    const within = total - between;
    const dfWithin = ok.length - k;
    const epsilon2 = total > 0 && dfWithin > 0 ? Math.max(0, (between - (k - 1) * (within / dfWithin)) / total) : total > 0 ? between / total : 0;
    raw.push({ name, epsilon2, groups: k });
  }
  const sum = raw.reduce((s, r) => s + r.epsilon2, 0);
  return raw.map((r) => ({ ...r, share: sum > 0 ? r.epsilon2 / sum : 0 })).sort((a, b) => b.epsilon2 - a.epsilon2 || a.name.localeCompare(b.name));
}
