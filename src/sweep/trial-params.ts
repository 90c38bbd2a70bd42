/**
 * Which parameters a report shows as columns. The result does not say which axes the user swept, but the
 * trials do: a parameter whose value differs between trials was swept, one that never changes was not
 * (or was swept over a single value) and goes into one "fixed" line instead of a column of equal cells.
 */
import type { Params, ParamValue } from '../models/params.js';
import type { TrialResult } from './result.js';

export interface ParamSplit {
  /** Parameters whose value differs between trials, in first-seen order: one column each. */
  varying: string[];
  /** Parameters with one value in every trial. */
  fixed: Params;
}

/** Every parameter name in the trials, in first-seen order (the grid's key order). */
export function paramNames(trials: readonly TrialResult[]): string[] {
  const seen = new Set<string>();
  for (const t of trials) for (const k of Object.keys(t.params)) seen.add(k);
  return [...seen];
}

export function splitParams(trials: readonly TrialResult[]): ParamSplit {
  const varying: string[] = [];
  const fixed: Params = {};
  for (const name of paramNames(trials)) {
    const first = trials[0].params[name];
    if (trials.every((t) => t.params[name] === first)) fixed[name] = first;
    else varying.push(name);
  }
  return { varying, fixed };
}

/** A parameter value as users type it: numbers plainly, words and booleans as is, a missing one as "–". */
export function formatParamValue(v: ParamValue | undefined): string {
  if (v === undefined) return '–';
  return String(v);
}

/** "numTrees=100 maxDepth=10", in the given order. */
export function formatParams(params: Params, names: readonly string[] = Object.keys(params)): string {
  return names.map((n) => `${n}=${formatParamValue(params[n])}`).join(' ');
}
