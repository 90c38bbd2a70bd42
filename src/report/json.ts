/**
 * `--format json`: exactly the SweepResult record, two-space indented, so scripts read the same field names
 * the documentation gives. JSON has no NaN: JSON.stringify already writes NaN and ±Infinity as null.
 */
import type { SweepResult } from '../sweep/result.js';

export function renderJson(result: SweepResult): string {
  // What the record is comes first: its shape's version, the tool's, when and how it was made.
  const { schema, version, startedAt, command, ...rest } = result;
  return JSON.stringify({ schema, version, startedAt, command, ...rest }, null, 2) + '\n';
}
