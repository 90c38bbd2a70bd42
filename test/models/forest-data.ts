/**
 * Diabetes for the forest accuracy tests, read from the shared CSV with a plain split (it has no quotes or blanks),
 * so these tests do not depend on the CSV loader.
 */
import fs from 'node:fs';
import { allocateDataset, type Dataset } from '../../dist/data/dataset.js';

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
