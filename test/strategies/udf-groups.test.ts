import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { TEST, TRAIN, UNUSED } from '../../dist/data/folds.js';
import { encodeGroup, groupKeyOf, groupTable, ownBuffer, trainingBitmap } from '../../dist/strategies/udf/groups.js';
import { featureMatrix, groupDataset, splitRows } from '../../dist/strategies/udf/group-dataset.js';
import { checkUdfResult, concatResults, decodeResultTable, encodeResult, resultRowOf } from '../../dist/strategies/udf/results.js';
import { axesFromParamFlags } from '../../dist/sweep/grid.js';
import { lineData } from './udf-fixture.js';

/** A fold plan from a fold assignment (row i tested in split foldOf[i], trained in the others). */
function planOf(foldOf: Uint8Array, count = Math.max(...foldOf) + 1) {
  const rows = foldOf.length;
  const roles = new Uint8Array(count * rows);
  for (let f = 0; f < count; f++) for (let i = 0; i < rows; i++) roles[f * rows + i] = foldOf[i] === f ? TEST : TRAIN;
  return { rows, roles };
}

describe('groups', () => {
  it('marks training rows LSB-first', () => {
    const roles = Uint8Array.from([0, 1, 1, 0, 2, 1, 0, 0, 1, 2], (f) => (f === 1 ? TEST : TRAIN));
    expect(Array.from(trainingBitmap(roles))).toEqual([0b11011001, 0b10]);
  });

  it('leaves the rows a split does not use out of a user UDF\'s group, and marks them null for a built-in model', () => {
    const data = lineData(6);
    const roles = Uint8Array.from([TRAIN, TRAIN, TEST, UNUSED, UNUSED, UNUSED]);
    const user = arrow.tableFromIPC(encodeGroup(data, { rows: 6, roles }, { config: 0, fold: 0, params: {} }, true));
    expect(Array.from(user.getChild('training')!, (v) => v)).toEqual([true, true, false]);
    expect(Array.from(user.getChild('y')!.toArray() as Float64Array)).toEqual(Array.from(data.y.subarray(0, 3)));
    const builtin = arrow.tableFromIPC(encodeGroup(data, { rows: 6, roles }, { config: 0, fold: 0, params: {} }));
    expect(Array.from(builtin.getChild('training')!, (v) => v)).toEqual([true, true, false, null, null, null]);
    const g = groupDataset(builtin, 'line', ['x0', 'x1'], 'y');
    expect([Array.from(g.train), Array.from(g.test)]).toEqual([[0, 1], [2]]);
  });

  it('encodes all rows in order with a training column and the keys as metadata', () => {
    const data = lineData(10);
    const foldOf = Uint8Array.from([0, 1, 1, 0, 1, 1, 0, 0, 1, 0]);
    const bytes = encodeGroup(data, planOf(foldOf), { config: 3, fold: 1, params: { k: 5, kind: 'a' } });
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    const t = arrow.tableFromIPC(bytes);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['x0', 'x1', 'y', 'training']);
    expect(Array.from(t.getChild('y')!.toArray() as Float64Array)).toEqual(Array.from(data.y));
    expect(Array.from(t.getChild('training')!, Boolean)).toEqual([true, false, false, true, false, false, true, true, false, true]);
    expect(groupKeyOf(t)).toEqual({ config: 3, fold: 1, params: { k: 5, kind: 'a' } });
  });

  it('decodes to a Dataset whose features are one zero-copy view of the transferred bytes', () => {
    const data = lineData(12);
    const foldOf = new Uint8Array(12).map((_, i) => i % 3);
    const bytes = encodeGroup(data, planOf(foldOf), { config: 0, fold: 2, params: {} });
    const t = arrow.tableFromIPC(bytes);
    const g = groupDataset(t, 'line', ['x0', 'x1'], 'y');
    expect(g.data.x.buffer).toBe(bytes.buffer);
    expect(Array.from(g.data.x)).toEqual(Array.from(data.x));
    expect(Array.from(g.data.y)).toEqual(Array.from(data.y));
    expect(Array.from(g.test)).toEqual([2, 5, 8, 11]);
    expect(Array.from(g.train)).toEqual([0, 1, 3, 4, 6, 7, 9, 10]);
  });

  it('copies features that are not contiguous, and reads a chunked training column', () => {
    const a = Float64Array.from([1, 2]);
    const b = Float64Array.from([3, 4]);
    expect(Array.from(featureMatrix([a, b], 2))).toEqual([1, 2, 3, 4]);
    const t = new arrow.Table({ training: arrow.vectorFromArray([true, false, true], new arrow.Bool()) });
    const two = t.concat(new arrow.Table({ training: arrow.vectorFromArray([false], new arrow.Bool()) }));
    expect(Array.from(splitRows(two).train)).toEqual([0, 2]);
    expect(Array.from(splitRows(two).test)).toEqual([1, 3]);
  });

  it('copies a view into a larger buffer so it can be transferred', () => {
    const big = new Uint8Array(16).map((_, i) => i);
    const own = ownBuffer(big.subarray(4, 8));
    expect(own.buffer.byteLength).toBe(4);
    expect(Array.from(own)).toEqual([4, 5, 6, 7]);
    expect(ownBuffer(big)).toBe(big);
  });

  it('refuses a dataset that already has a training column', async () => {
    const { checkGroupColumns } = await import('../../dist/strategies/udf/groups.js');
    const data = { ...lineData(3), featureNames: ['x0', 'training'] };
    expect(() => checkGroupColumns(data)).toThrow(/already has one/);
    expect(groupTable(lineData(3), planOf(new Uint8Array(3)), { config: 0, fold: 0, params: {} }).numRows).toBe(3);
  });
});

describe('GroupDataCache', () => {
  it('reuses the kept data and cache for a group with equal bytes, and replaces them otherwise', async () => {
    const { GroupDataCache } = await import('../../dist/strategies/udf/builtin-udfs.js');
    const reuse = new GroupDataCache();
    const a = lineData(5);
    const first = reuse.resolve(a);
    expect(first.data).toBe(a);
    const same = reuse.resolve(lineData(5));
    expect(same.data).toBe(a);
    expect(same.cache).toBe(first.cache);
    const changed = lineData(5);
    changed.y[4] += 1e-12;
    expect(reuse.resolve(changed).data).toBe(changed);
    expect(reuse.hits).toBe(1);
  });
});

describe('results', () => {
  it('round-trips one row and concatenates rows into one table', () => {
    const a = decodeResultTable(encodeResult({ config: 0, fold: 1, fitMs: 2, predictMs: 3, metrics: { r2: 0.5, mae: 1 } }));
    const b = decodeResultTable(encodeResult({ config: 1, fold: 0, fitMs: 4, predictMs: 5, metrics: { r2: 0.25, mae: 2 } }));
    expect(resultRowOf(a)).toEqual({ config: 0, fold: 1, fitMs: 2, predictMs: 3, metrics: { r2: 0.5, mae: 1 } });
    const all = concatResults([a, b]);
    expect(all.numRows).toBe(2);
    expect(Array.from(all.getChild('r2')!.toArray() as Float64Array)).toEqual([0.5, 0.25]);
    expect(Array.from(all.getChild('config')!.toArray() as Int32Array)).toEqual([0, 1]);
  });

  it('takes the union of columns when UDFs returned different metrics', () => {
    const a = decodeResultTable(encodeResult({ config: 0, fold: 0, fitMs: 0, predictMs: 0, metrics: { r2: 1 } }));
    const b = decodeResultTable(encodeResult({ config: 1, fold: 0, fitMs: 0, predictMs: 0, metrics: { r2: 2, extra: 3 } }));
    const all = concatResults([a, b]);
    expect(all.schema.fields.map((f) => f.name)).toEqual(['config', 'fold', 'fitMs', 'predictMs', 'r2', 'extra']);
    expect(Array.from(all.getChild('extra')!.toArray() as Float64Array)).toEqual([NaN, 3]);
    expect(concatResults([]).numRows).toBe(0);
  });

  it('accepts an object of finite numbers containing the ranking metric', () => {
    expect(checkUdfResult({ r2: 0.5, myScore: 2 }, 'r2')).toEqual({ r2: 0.5, myScore: 2 });
  });

  it.each([
    [[1, 2], 'UDF returned [1,2]; expected an object of finite numbers such as { r2: 0.42 }'],
    [undefined, 'UDF returned undefined; expected an object of finite numbers such as { r2: 0.42 }'],
    [0.5, 'UDF returned 0.5; expected an object of finite numbers such as { r2: 0.42 }'],
    [{}, 'UDF returned an empty object; expected an object of finite numbers such as { r2: 0.42 }'],
    [{ r2: '0.5', mae: Infinity }, 'UDF returned non-numeric or non-finite values (r2: "0.5", mae: "Infinity"); expected an object of finite numbers such as { r2: 0.42 }'],
    [{ mae: 1, rmse: 2 }, 'UDF result has no "r2", the ranking metric (it returned mae, rmse); return it or choose another --metric'],
    [{ r2: 1, fold: 2 }, 'UDF returned a metric named "fold", a name reserved for the result table (config, fold, fitMs, predictMs, diagnostics)'],
  ])('rejects %j', (value, message) => {
    expect(() => checkUdfResult(value, 'r2')).toThrow(message);
  });
});

describe('--param', () => {
  it('types values by their look', () => {
    expect(axesFromParamFlags(['k=3,5,9', 'weights=uniform,distance', 'scale=true,0.5'])).toEqual({
      k: [3, 5, 9],
      weights: ['uniform', 'distance'],
      scale: [true, 0.5],
    });
  });

  it.each([
    [['k'], '--param "k": expected name=v1,v2,... with a name like k or maxDepth'],
    [['=3'], '--param "=3": expected name=v1,v2,... with a name like k or maxDepth'],
    [['k=1,,2'], '--param k: empty value in "1,,2"'],
    [['k=1', 'k=2'], '--param k is given twice; list all its values once: --param k=a,b,c'],
  ])('rejects %j', (flags, message) => {
    expect(() => axesFromParamFlags(flags)).toThrow(message);
  });
});
