/**
 * Column types, inferred on load. A feature column is numeric while every cell is a number or missing; the first
 * other cell makes it a label column (every cell from then on a label, numbers by their shortest text, the rows
 * before recoded), and at the end its labels say what it is:
 *   boolean      every label is true or false (any case): 0 and 1
 *   time         every label is an ISO 8601 date or date-time (2024-03-01, 2024-03-01T12:30:00Z; no zone = UTC):
 *                seconds since 1970-01-01 UTC, a number
 *   categorical  anything else: codes 0…C−1 into the categories, sorted as classes (data/task.ts)
 * `--categorical a,b` makes a column categorical whatever it holds (numbers become labels); `--numeric a,b` makes
 * its every cell a number or missing (anything else is an error naming the cell). Missing cells (empty, NA, NaN,
 * null, none, n/a, or the --na-values words) are NaN whatever the type.
 */
import { DataError } from '../errors.js';
import type { FeatureInfo } from './dataset.js';
import { recodeSorted, type TextLabels } from './task.js';
import { parseCell } from './number.js';

/**
 * A label column needs at least this many rows with a value before "every value distinct" marks it an id or a name
 * (refused as a feature unless --categorical says so).
 */
export const ID_MIN_ROWS = 20;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOLEAN = /^(true|false)$/i;

/** Seconds since the epoch of an ISO 8601 date or date-time (UTC when it names no zone), or NaN. */
export function isoSeconds(text: string): number {
  const m = ISO_DATE.exec(text);
  if (m === null) return NaN;
  const zoned = m[4] === undefined ? `${text.slice(0, 10)}T00:00:00Z` : m[7] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms / 1000 : NaN;
}

/**
 * Settle a label column in place: `codes` holds first-seen label codes (NaN where missing) for every row; they
 * become 0/1, seconds or sorted category codes, as the labels say (forced: always categorical). A categorical
 * column that is numbers but for a few words gets a line in `notes` (mostlyNumbers).
 */
export function settleLabels(codes: Float64Array, labels: TextLabels, forced: boolean, column: string, file: string, notes: string[]): FeatureInfo {
  const names = labels.names;
  if (!forced && names.every((n) => BOOLEAN.test(n))) {
    const map = Float64Array.from(names, (n) => (n.toLowerCase() === 'true' ? 1 : 0));
    for (let i = 0; i < codes.length; i++) if (codes[i] === codes[i]) codes[i] = map[codes[i]];
    return { kind: 'boolean' };
  }
  if (!forced && names.length > 0) {
    const seconds = Float64Array.from(names, isoSeconds);
    if (seconds.every((s) => s === s)) {
      for (let i = 0; i < codes.length; i++) if (codes[i] === codes[i]) codes[i] = seconds[codes[i]];
      return { kind: 'time' };
    }
  }
  let present = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === codes[i]) present++;
  if (!forced && present >= ID_MIN_ROWS && names.length === present) {
    throw new DataError(`column "${column}" holds a different text value in every one of its ${present} rows (an id or a name?), not a feature`, { file }, `leave it out with --ignore ${column}, or keep it with --categorical ${column}`);
  }
  const info: FeatureInfo = { kind: 'categorical', categories: recodeSorted(codes, names) };
  const note = forced ? null : mostlyNumbers(codes, info.categories, column);
  if (note !== null) notes.push(`${file}: ${note}`);
  return info;
}

/**
 * A categorical column that is numbers but for a few words (a "?" or "-" placeholder for a missing value, the classic
 * cars data set's horsepower): a line for stderr naming them and what to do, or null. At least 90% of the column's
 * values are numbers and at most 3 distinct values are not (a forced column is never questioned: settleLabels).
 */
function mostlyNumbers(codes: Float64Array, categories: readonly string[], column: string): string | null {
  const isNumber = categories.map((c) => parseCell(c) === parseCell(c));
  const others = categories.filter((_, i) => !isNumber[i]);
  if (others.length === 0 || others.length > 3) return null;
  let numbers = 0;
  let present = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c !== c) continue;
    present++;
    if (isNumber[c]) numbers++;
  }
  if (numbers < 0.9 * present) return null;
  const words = others.map((w) => JSON.stringify(w)).join(', ');
  return `column "${column}" is numbers but for ${words} in ${present - numbers} of ${present} rows, so it was read as categories: if ${others.length === 1 ? 'that means' : 'those mean'} missing, use --na-values ${others.map((w) => (/^[\w.-]+$/.test(w) ? w : `'${w}'`)).join(',')} (or --numeric ${column} to refuse it)`;
}
