/**
 * Columnar inputs — Arrow IPC / Feather (apache-arrow) and Parquet (hyparquet) — straight into a Dataset: numeric
 * columns are copied as float64 (a float64 column chunk without nulls by one typed-array copy), a text column may be
 * the target (its values become classes, data/task.ts), nulls and NaN are missing cells (a missing target
 * always drops its row; a missing feature is an error, or with --missing drop the row goes, counted), and the selection flags (--target, --features, --ignore) are checked as
 * for a CSV, with the same messages. A text feature is refused naming the column (text categories come with #20).
 */
import { allocateDataset, type Dataset } from './dataset.js';
import { DataError } from '../errors.js';
import type { LoadedData, LoadOptions } from './options.js';
import { checkHeader, selectColumns } from './select.js';
import { numberLabel, recodeSorted, TextLabels } from './task.js';
import { groupColumn, show } from './csv-sink.js';

/** One input column: numbers (NaN where missing) or text (null where missing). */
export type InputColumn = { name: string; kind: 'number'; values: Float64Array } | { name: string; kind: 'text'; values: readonly (string | null)[] };

const MIN_ROWS = 2;

/** Row i of a column holds no value (NaN, null). */
function missingAt(c: InputColumn, i: number): boolean {
  return c.kind === 'number' ? Number.isNaN(c.values[i]) : c.values[i] === null;
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
  for (const c of features) {
    if (c.kind === 'text') {
      const first = c.values.findIndex((v) => v !== null);
      throw new DataError(`column "${c.name}" holds text (${show(String(c.values[first]))} in row ${first + 1}), not numbers`, where, `leave it out with --ignore ${c.name}`);
    }
  }
  // Rows with a missing cell among the selected columns: an error, or dropped.
  const keep = new Uint8Array(rows).fill(1);
  let dropped = 0;
  let firstDrop = -1;
  for (const c of picked) {
    if (c === null) continue;
    for (let i = 0; i < rows; i++) {
      if (keep[i] === 0 || !missingAt(c, i)) continue;
      // A missing target always drops its row (nothing to learn from it); a missing feature only with --missing drop.
      if (options.missing !== 'drop' && c !== target && !(target !== null && missingAt(target, i))) {
        throw new DataError(`column "${c.name}": missing value in row ${i + 1}${c === group ? ' (every row needs its fold or group)' : ''}`, where, 'use --missing drop to drop rows with missing values');
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
  features.forEach((c, j) => {
    const src = c.values as Float64Array;
    const dst = data.x.subarray(j * n, (j + 1) * n);
    if (dropped === 0) dst.set(src);
    else for (let i = 0, k = 0; i < rows; i++) if (keep[i]) dst[k++] = src[i];
  });
  if (target?.kind === 'number') {
    for (let i = 0, k = 0; i < rows; i++) if (keep[i]) data.y[k++] = target.values[i];
    const first = data.y[0];
    if (data.y.every((v) => v === first)) throw new DataError(`target column "${target.name}" is constant (every value is ${first}): R² is undefined`, where);
  } else if (target?.kind === 'text') {
    const labels = new TextLabels();
    for (let i = 0, k = 0; i < rows; i++) if (keep[i]) data.y[k++] = labels.code(target.values[i]!.trim());
    data = { ...data, classes: recodeSorted(data.y, labels.names) };
  }
  if (group) {
    const labels = new TextLabels();
    const codes = new Float64Array(n);
    for (let i = 0, k = 0; i < rows; i++) {
      if (!keep[i]) continue;
      const v = group.values[i];
      codes[k++] = labels.code(typeof v === 'number' ? numberLabel(v) : String(v).trim());
    }
    data = { ...data, groups: groupColumn(group.name, codes, labels.names) };
  }
  const warnings = dropped > 0 ? [`${label}: dropped ${dropped} of ${rows} rows with missing values (the first is row ${firstDrop + 1})`] : [];
  return { data, droppedRows: dropped, warnings };
}
