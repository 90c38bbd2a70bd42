/**
 * `sweep compare --format json`: the CompareResult record as is (see compare/result.ts), two-space indented.
 * A value that does not exist (σ of a single run, the fastest entry's relative σ) is null, as JSON has no NaN.
 */
import type { CompareResult } from '../compare/result.js';

export function renderCompareJson(result: CompareResult): string {
  // What the record is comes first, as in a sweep's JSON.
  const { schema, version, startedAt, command, ...rest } = result;
  const r = { schema, version, startedAt, command, ...rest };
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
