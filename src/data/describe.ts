/**
 * `--describe`: what the loader made of each column — its type, distinct values, missing count, and the range of a
 * number (a time as ISO 8601) or the most frequent categories — for the features, the target and the fold/group
 * column. Pure: a Dataset in, rows out; the CLI renders them as a table or JSON.
 */
import { featureInfoOf, type Dataset } from './dataset.js';

export interface ColumnDescription {
  name: string;
  /** numeric, boolean, time, categorical; the target's: "target (regression)" / "target (classification)"; "groups". */
  type: string;
  distinct: number;
  missing: number;
  min?: number | string;
  max?: number | string;
  /** The most frequent values with their row counts (categories, classes, groups), most frequent first. */
  top?: { value: string; rows: number }[];
}

const TOP = 5;

export function describeDataset(data: Dataset, task?: 'regression' | 'classification'): ColumnDescription[] {
  const out = data.featureNames.map((name, j) => {
    const info = featureInfoOf(data, j);
    const values = data.x.subarray(j * data.rows, (j + 1) * data.rows);
    if (info.kind === 'categorical') return labelled(name, 'categorical', values, info.categories);
    const d = numeric(name, info.kind, values);
    if (info.kind === 'time' && typeof d.min === 'number') Object.assign(d, { min: isoOf(d.min), max: isoOf(d.max as number) });
    return d;
  });
  const targetType = `target${task ? ` (${task})` : ''}`;
  out.push(data.classes ? labelled(data.targetName, targetType, data.y, data.classes) : numeric(data.targetName, targetType, data.y));
  if (data.groups) out.push(labelled(data.groups.column, 'groups', Float64Array.from(data.groups.codes), data.groups.values));
  return out;
}

function numeric(name: string, type: string, values: Float64Array): ColumnDescription {
  let missing = 0;
  let min = Infinity;
  let max = -Infinity;
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      missing++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    seen.add(v);
  }
  return { name, type, distinct: seen.size, missing, ...(seen.size > 0 ? { min, max } : {}) };
}

function labelled(name: string, type: string, codes: ArrayLike<number>, names: readonly string[]): ColumnDescription {
  const counts = new Float64Array(names.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c !== c) missing++;
    else counts[c]++;
  }
  const order = Array.from(names, (_, c) => c).filter((c) => counts[c] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
  return { name, type, distinct: order.length, missing, top: order.slice(0, TOP).map((c) => ({ value: names[c], rows: counts[c] })) };
}

function isoOf(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}
