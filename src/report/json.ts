/**
 * `--format json`: exactly the SweepResult record, two-space indented, so scripts read the same field names
 * the documentation gives. JSON has no NaN: JSON.stringify already writes NaN and ±Infinity as null.
 */
import type { SweepResult } from '../sweep/result.js';

export function renderJson(result: SweepResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
