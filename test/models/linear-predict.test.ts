// Many linear models predicted at once (native workers score all of a fold's configs in one job) against one by one.
import { describe, expect, it } from 'vitest';
import { linearPredictions, linearPredictionsMany } from '../../dist/models/linear/linear.js';
import { randomTable } from '../tree/fixture.js';

describe('linearPredictionsMany', () => {
  it('gives the same bits as linearPredictions per model, zero coefficients and blocks of rows included', () => {
    const data = randomTable(3000, 6, 4);
    const rows = Uint32Array.from({ length: 1300 }, (_, i) => 2 * i + (i % 2)); // more than one block of 512
    const models = 7;
    const coefficients = Float64Array.from({ length: models * 6 }, (_, i) => (i % 5 === 0 ? 0 : Math.sin(i) * 10 ** ((i % 4) - 2)));
    const intercepts = Float64Array.from({ length: models }, (_, c) => 100 * Math.cos(c));
    const out = new Float64Array(models * rows.length).fill(NaN);
    linearPredictionsMany(coefficients, intercepts, data.x, data.rows, rows, out);
    for (let c = 0; c < models; c++) {
      const one = linearPredictions(coefficients.subarray(c * 6, (c + 1) * 6), intercepts[c], data.x, data.rows, rows);
      expect(Array.from(out.subarray(c * rows.length, (c + 1) * rows.length))).toEqual(Array.from(one));
    }
  });
});
