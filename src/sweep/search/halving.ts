/**
 * Successive halving (Jamieson & Talwalkar, 2016) as scikit-learn's HalvingRandomSearchCV / HalvingGridSearchCV
 * schedule it, and Hyperband's brackets of it (Li et al., 2018). Pure arithmetic: the driver (api/search.ts) runs
 * each rung as one round, so promotions depend only on the rung's results, never on timing.
 *
 * Halving with n₀ candidates, factor η and a resource up to R (here: a forest's trees, which are nested — a
 * promoted config grows on from the trees it has, reused within a thread):
 *   rungs      = min(1 + ⌊log_η n₀⌋, 1 + ⌊log_η (R / r_min)⌋)   (scikit-learn's n_required / n_possible iterations;
 *                r_min: --min-resource, else 1)
 *   r₀         = --min-resource, else ⌊R / η^(rungs − 1)⌋ ("exhaust": the last rung gets as close to R as it can)
 *   rung i     : ⌈n₀ / η^i⌉ candidates at resource r₀·η^i, the best ⌈n_i / η⌉ go on (ties to the lower trial number).
 * Hyperband: s_max = ⌊log_η (R / r_min)⌋; bracket s = s_max … 0 runs halving from ⌈(s_max + 1)/(s + 1) · η^s⌉
 * candidates at resource R·η^(−s).
 */

export interface Rung {
  candidates: number;
  resource: number;
}

/** The rungs of one successive-halving run. */
export function halvingRungs(candidates: number, maxResource: number, factor: number, minResource?: number): Rung[] {
  const logOf = (x: number) => Math.floor(Math.log(x) / Math.log(factor) + 1e-9);
  const required = 1 + logOf(candidates);
  const possible = 1 + logOf(maxResource / (minResource ?? 1));
  const rungs = Math.max(1, Math.min(required, possible));
  const r0 = minResource ?? Math.max(1, Math.floor(maxResource / factor ** (rungs - 1)));
  return Array.from({ length: rungs }, (_, i) => ({ candidates: Math.ceil(candidates / factor ** i), resource: Math.min(maxResource, r0 * factor ** i) }));
}

/** How many of a rung's candidates go on to the next rung. */
export function promotedCount(inRung: number, factor: number): number {
  return Math.ceil(inRung / factor);
}

/**
 * The candidates promoted from a rung: the best `keep` by value (direction-adjusted), ties to the lower trial
 * number; candidates without a value (failed) never go on.
 */
export function promote(rung: readonly { candidate: number; number: number; value: number | undefined }[], keep: number, direction: 'max' | 'min'): number[] {
  const sign = direction === 'max' ? -1 : 1;
  return rung
    .filter((t) => t.value !== undefined && Number.isFinite(t.value))
    .sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number)
    .slice(0, keep)
    .map((t) => t.candidate);
}

/** Hyperband's brackets: (candidates, starting resource) per bracket, most aggressive first. */
export function hyperbandBrackets(maxResource: number, factor: number, minResource: number): Rung[] {
  const sMax = Math.floor(Math.log(maxResource / minResource) / Math.log(factor) + 1e-9);
  const out: Rung[] = [];
  for (let s = sMax; s >= 0; s--) {
    out.push({ candidates: Math.ceil(((sMax + 1) / (s + 1)) * factor ** s), resource: Math.max(minResource, Math.floor(maxResource / factor ** s)) });
  }
  return out;
}
