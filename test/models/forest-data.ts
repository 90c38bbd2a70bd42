/**
 * Test data for the forest accuracy tests: diabetes read from the shared CSV (a plain split: it has no quotes or
 * blanks) and Friedman #1 from our own seeded generator (until src/data/friedman.ts lands; the formula is
 * sklearn's make_friedman1, so the data is equivalent in distribution, not in values).
 */
import fs from 'node:fs';
import { allocateDataset, type Dataset } from '../../dist/data/dataset.js';
import { SeededRandom } from '../../dist/util/random.js';

export const DIABETES_CSV = new URL('../../../shared/datasets/diabetes.csv', import.meta.url);

export function readDiabetes(): Dataset {
  const lines = fs.readFileSync(DIABETES_CSV, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const rows = lines.length - 1;
  const F = head.length - 1;
  const d = allocateDataset('diabetes', head.slice(0, F), head[F], rows);
  for (let i = 0; i < rows; i++) {
    const v = lines[i + 1].split(',').map(Number);
    for (let j = 0; j < F; j++) d.x[j * rows + i] = v[j];
    d.y[i] = v[F];
  }
  return d;
}

/** y = 10 sin(π x0 x1) + 20 (x2 − 0.5)² + 10 x3 + 5 x4 + noise·N(0, 1), x uniform in [0, 1)^features. */
export function friedman1(rows: number, noise: number, features: number, seed: number): Dataset {
  const d = allocateDataset(`friedman1:${rows}`, Array.from({ length: features }, (_, j) => `x${j}`), 'y', rows);
  const rng = new SeededRandom(seed);
  for (let i = 0; i < rows; i++) for (let j = 0; j < features; j++) d.x[j * rows + i] = rng.nextFloat();
  const x = (j: number, i: number) => d.x[j * rows + i];
  for (let i = 0; i < rows; i++) {
    // Box–Muller
    const u = 1 - rng.nextFloat();
    const n = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
    d.y[i] = 10 * Math.sin(Math.PI * x(0, i) * x(1, i)) + 20 * (x(2, i) - 0.5) ** 2 + 10 * x(3, i) + 5 * x(4, i) + noise * n;
  }
  return d;
}
