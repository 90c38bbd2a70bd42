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
