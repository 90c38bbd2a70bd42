import { allocateDataset, type Dataset } from '../../dist/data/dataset.js';
import { SeededRandom } from '../../dist/util/random.js';

/** A dataset from columns (feature arrays) and a target. */
export function table(columns: number[][], y: number[]): Dataset {
  const d = allocateDataset('t', columns.map((_, j) => `x${j}`), 'y', y.length);
  columns.forEach((c, j) => d.x.set(c, j * y.length));
  d.y.set(y);
  return d;
}

/** A random table with some ties (integer-rounded columns) and a nonlinear target, deterministic from seed. */
export function randomTable(rows: number, features: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const cols: number[][] = [];
  for (let j = 0; j < features; j++) {
    cols.push(Array.from({ length: rows }, () => (j % 2 === 0 ? rng.nextFloat() : Math.round(rng.nextFloat() * 20))));
  }
  const y = Array.from({ length: rows }, (_, i) => 10 * Math.sin(3 * cols[0][i]) + (cols[1 % features][i] - 10) ** 2 / 10 + rng.nextFloat());
  return table(cols, y);
}

export function seq(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/**
 * A table with a categorical feature of `categories` codes whose effect on y is not monotone in the code, a numeric
 * feature with ~10% missing cells whose missing rows behave like its LOW values, and a plain numeric one;
 * deterministic from seed. `classes` > 0 makes y a class index (classes by thresholds of the same signal).
 */
export function categoricalTable(rows: number, seed: number, categories = 12, classes = 0): Dataset {
  const rng = new SeededRandom(seed);
  const effect = Array.from({ length: categories }, (_, c) => ((c * 7) % categories) - categories / 2);
  const cat: number[] = [];
  const num: number[] = [];
  const plain: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rng.nextFloat() * categories);
    const v = Math.round(rng.nextFloat() * 30);
    const p = rng.nextFloat();
    const missing = rng.nextFloat() < 0.1;
    cat.push(c);
    num.push(missing ? NaN : v);
    plain.push(p);
    const signal = effect[c] + (missing ? 0 : v / 5) + 3 * p + rng.nextFloat();
    y.push(signal);
  }
  let target = y;
  if (classes > 0) {
    const sorted = [...y].sort((a, b) => a - b);
    const cuts = Array.from({ length: classes - 1 }, (_, k) => sorted[Math.floor(((k + 1) * rows) / classes)]);
    target = y.map((v) => cuts.filter((t) => v >= t).length);
  }
  const d = table([cat, num, plain], target);
  const names = Array.from({ length: categories }, (_, c) => `c${String(c).padStart(3, '0')}`);
  return {
    ...d,
    featureInfo: [{ kind: 'categorical', categories: names }, { kind: 'numeric' }, { kind: 'numeric' }],
    ...(classes > 0 ? { classes: Array.from({ length: classes }, (_, k) => `k${k}`) } : {}),
  };
}
