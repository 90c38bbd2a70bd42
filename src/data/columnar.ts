/**
 * Columnar inputs — Arrow IPC / Feather (apache-arrow) and Parquet (hyparquet) — straight into a Dataset: numeric
 * columns are copied as float64 (a float64 column chunk without nulls by one typed-array copy); a text feature is a
 * label column whose type is settled as a CSV's (data/types.ts), a text target's values become classes
 * (data/task.ts); nulls, NaN and the missing words are missing cells (a missing target always drops its row; a
 * missing feature is NaN, an error or drops its row, as --missing says), and the selection flags (--target,
 * --features, --ignore, --categorical, --numeric) are checked as for a CSV, with the same messages.
 */
import { allocateDataset, type Dataset, type FeatureInfo } from './dataset.js';
import { DataError } from '../errors.js';
import type { LoadedData, LoadOptions } from './options.js';
import { checkHeader, selectColumns } from './select.js';
import { cellLabel, numberLabel, recodeSorted, TextLabels } from './task.js';
import { forcedTypes, groupColumn, isMissingText, naWordsOf, show } from './csv-sink.js';
import { parseCell } from './number.js';
import { settleLabels } from './types.js';

/** One input column: numbers (NaN where missing) or text (null where missing). */
export type InputColumn = { name: string; kind: 'number'; values: Float64Array } | { name: string; kind: 'text'; values: readonly (string | null)[] };

const MIN_ROWS = 2;

/** Row i of a column holds no value: NaN, null, or text that means none (as in a CSV: csv-sink.ts isMissingText). */
function missingAt(c: InputColumn, i: number, naWords: ReadonlySet<string>): boolean {
  if (c.kind === 'number') return Number.isNaN(c.values[i]);
  const v = c.values[i];
  return v === null || isMissingText(v, naWords);
}

export function columnsToDataset(columns: readonly InputColumn[], options: LoadOptions, name: string, label: string): LoadedData {
  const where = { file: label };
  if (columns.length === 0) throw new DataError('the file has no columns', where);
  const header = checkHeader(columns.map((c) => c.name), label);
  const sel = selectColumns(header, options, label);
  const rows = columns[0].values.length;
  const picked = Array.from(sel.source, (i) => (i >= 0 ? columns[i] : null));
  const f = sel.featureNames.length;
  const features = picked.slice(0, f) as InputColumn[];
  const target = picked[f];
  const group = sel.groupName !== undefined ? picked[f + 1] : null;
  const forced = forcedTypes(sel.featureNames, options, label);
  const naWords = naWordsOf(options);
  const missing = (c: InputColumn, i: number) => missingAt(c, i, naWords);
  // Rows with a missing cell among the selected columns: kept (a feature's missing value is NaN), an error, or dropped.
  const keep = new Uint8Array(rows).fill(1);
  let dropped = 0;
  let firstDrop = -1;
  for (const c of picked) {
    if (c === null) continue;
    const isFeature = c !== target && c !== group;
    if (isFeature && options.missing !== 'drop' && options.missing !== 'error') continue;
    for (let i = 0; i < rows; i++) {
      if (keep[i] === 0 || !missing(c, i)) continue;
      // A missing target always drops its row (nothing to learn from it); a missing feature only with --missing drop.
      if (options.missing !== 'drop' && c !== target && !(target !== null && missing(target, i))) {
        throw new DataError(
          `column "${c.name}": missing value in row ${i + 1}${c === group ? ' (every row needs its fold or group)' : ''}`, where,
          c === group ? 'use --missing drop to drop rows with missing values' : 'use --missing keep (the default) to keep missing values, or --missing drop to drop their rows',
        );
      }
      keep[i] = 0;
      dropped++;
      if (firstDrop < 0) firstDrop = i;
    }
  }
  const n = rows - dropped;
  if (rows === 0) throw new DataError('the file has no data rows', where);
  if (n === 0) throw new DataError(`no rows left: all ${rows} data rows have missing values`, where);
  if (n < MIN_ROWS) throw new DataError(`needs at least ${MIN_ROWS} data rows, has ${n}${dropped > 0 ? ` after dropping ${dropped} with missing values` : ''}`, where);
  let data: Dataset = allocateDataset(name, sel.featureNames, sel.targetName, n);
  const typeNotes: string[] = [];
  const info = features.map((c, j): FeatureInfo => {
    const dst = data.x.subarray(j * n, (j + 1) * n);
    if (c.kind === 'number' && forced[j] !== 1) {
      const src = c.values;
      if (dropped === 0) dst.set(src);
      else for (let i = 0, k = 0; i < rows; i++) if (keep[i]) dst[k++] = src[i];
      return { kind: 'numeric' };
    }
    // Text, or numbers forced categorical: labels (numbers by their shortest text), then the column's type settled;
    // text that is all numbers is a numeric column, as in a CSV.
    const numeric = forced[j] === 2 || (forced[j] === 0 && c.kind === 'text' && c.values.every((v, i) => missing(c, i) || parseCell(v!.trim()) === parseCell(v!.trim())));
    const labels = new TextLabels();
    for (let i = 0, k = 0; i < rows; i++) {
      if (!keep[i]) continue;
      if (missing(c, i)) dst[k++] = NaN;
      else if (c.kind === 'number') dst[k++] = labels.code(numberLabel(c.values[i]));
      else {
        const text = c.values[i]!.trim();
        const v = parseCell(text);
        if (numeric && v !== v) throw new DataError(`column "${c.name}": ${show(text)} in row ${i + 1} is not a number`, where, `it is in --numeric ${c.name}`);
        dst[k++] = numeric ? v : labels.code(cellLabel(text, v));
      }
    }
    return numeric ? { kind: 'numeric' } : settleLabels(dst, labels, forced[j] === 1, c.name, label, typeNotes);
  });
  if (info.some((i) => i.kind !== 'numeric')) data = { ...data, featureInfo: info };
  if (target?.kind === 'number') {
    for (let i = 0, k = 0; i < rows; i++) if (keep[i]) data.y[k++] = target.values[i];
    const first = data.y[0];
    if (data.y.every((v) => v === first)) throw new DataError(`target column "${target.name}" is constant (every value is ${first}): R² is undefined`, where);
  } else if (target?.kind === 'text') {
    const labels = new TextLabels();
    for (let i = 0, k = 0; i < rows; i++) if (keep[i]) data.y[k++] = labels.code(cellLabel(target.values[i]!));
    data = { ...data, classes: recodeSorted(data.y, labels.names) };
  }
  if (group) {
    const labels = new TextLabels();
    const codes = new Float64Array(n);
    for (let i = 0, k = 0; i < rows; i++) {
      if (!keep[i]) continue;
      const v = group.values[i];
      codes[k++] = labels.code(typeof v === 'number' ? numberLabel(v) : cellLabel(v!));
    }
    data = { ...data, groups: groupColumn(group.name, codes, labels.names) };
  }
  const warnings = [...typeNotes, ...(dropped > 0 ? [`${label}: dropped ${dropped} of ${rows} rows with missing values (the first is row ${firstDrop + 1})`] : [])];
  return { data, droppedRows: dropped, warnings };
}
