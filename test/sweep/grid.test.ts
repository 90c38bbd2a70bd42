import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axesFromFlags, axesFromGridFile, expandGrid, mergeAxes, splitList } from '../../dist/sweep/grid.js';
import { FOREST_PARAMS, LINEAR_PARAMS, defaultParams } from '../../dist/models/specs.js';
import { DataError, UsageError } from '../../dist/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'sweep-grid-'));
function gridFile(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('expandGrid', () => {
  it('is the cartesian product in sorted-key order, last key fastest, over the defaults', () => {
    const configs = expandGrid(defaultParams('linear'), { regParam: [0, 0.1], elasticNetParam: [0, 1] });
    expect(configs.map((c) => [c.elasticNetParam, c.regParam])).toEqual([
      [0, 0],
      [0, 0.1],
      [1, 0],
      [1, 0.1],
    ]);
    expect(configs[0].standardization).toBe(true);
  });

  it('gives the defaults alone when there are no axes', () => {
    expect(expandGrid({ a: 1 }, {})).toEqual([{ a: 1 }]);
  });
});

describe('axesFromFlags', () => {
  it('parses comma lists through the param specs', () => {
    const axes = axesFromFlags(FOREST_PARAMS, { trees: '10,20,50', 'max-depth': 'none,5', 'max-features': 'sqrt,0.5' });
    expect(axes).toEqual({ numTrees: [10, 20, 50], maxDepth: ['none', 5], maxFeatures: ['sqrt', 0.5] });
  });

  it('drops duplicate values', () => {
    expect(axesFromFlags(FOREST_PARAMS, { trees: '10,10,20' }).numTrees).toEqual([10, 20]);
  });

  it.each([
    ['trees', '0', /numTrees must be >= 1.*got 0/],
    ['trees', '-1', /numTrees must be >= 1.*got -1/],
    ['trees', '2.5', /numTrees must be an integer, got 2.5/],
    ['trees', 'ten', /numTrees must be a number, got "ten"/],
    ['trees', '10,,20', /empty value/],
    ['max-bins', '300', /maxBins must be <= 255/],
    ['max-features', 'most', /maxFeatures must be all, sqrt/],
    ['bootstrap', 'maybe', /bootstrap must be true or false/],
  ])('--%s %s fails naming the parameter and the value', (flag, value, message) => {
    expect(() => axesFromFlags(FOREST_PARAMS, { [flag]: value })).toThrow(UsageError);
    expect(() => axesFromFlags(FOREST_PARAMS, { [flag]: value })).toThrow(message);
  });

  it('checks linear ranges', () => {
    expect(() => axesFromFlags(LINEAR_PARAMS, { 'elastic-net': '1.5' })).toThrow(/elasticNetParam must be <= 1/);
    expect(() => axesFromFlags(LINEAR_PARAMS, { 'reg-param': '-0.1' })).toThrow(/regParam must be >= 0/);
  });
});

describe('axesFromGridFile', () => {
  it('reads Spark names or flag names; scalars are one-value axes', () => {
    const f = gridFile('ok.json', '{"regParam":[0,0.1],"elastic-net":1}');
    expect(axesFromGridFile(f, LINEAR_PARAMS)).toEqual({ regParam: [0, 0.1], elasticNetParam: [1] });
  });

  it('points at the line and column of a JSON syntax error', () => {
    const f = gridFile('bad.json', '{\n  "regParam": [0,, 1]\n}');
    expect(() => axesFromGridFile(f, LINEAR_PARAMS)).toThrow(DataError);
    expect(() => axesFromGridFile(f, LINEAR_PARAMS)).toThrow(`${f}:2:18: invalid JSON`);
  });

  it.each([
    ['array.json', '[1,2]', /must be a JSON object/],
    ['empty-object.json', '{}', /grid object is empty/],
    ['empty-list.json', '{"regParam": []}', /"regParam" has an empty list/],
    ['unknown.json', '{"numLeaves": [2]}', /unknown parameter "numLeaves"/],
    ['bad-value.json', '{"regParam": ["x"]}', /regParam must be a number, got "x"/],
    ['truncated.json', '{"regParam": [0', /invalid JSON \(unexpected end\)/],
  ])('%s is refused with the file named', (name, text, message) => {
    const f = gridFile(name, text);
    expect(() => axesFromGridFile(f, LINEAR_PARAMS)).toThrow(message);
    expect(() => axesFromGridFile(f, LINEAR_PARAMS)).toThrow(f);
  });

  it('refuses a directory and a missing file', () => {
    const d = join(dir, 'a-dir');
    mkdirSync(d, { recursive: true });
    expect(() => axesFromGridFile(d, LINEAR_PARAMS)).toThrow(/is a directory/);
    expect(() => axesFromGridFile(join(dir, 'nope.json'), LINEAR_PARAMS)).toThrow(/grid file not found/);
  });
});

describe('mergeAxes and splitList', () => {
  it('lets later sources replace an axis', () => {
    expect(mergeAxes({ a: [1], b: [2] }, { b: [3] })).toEqual({ a: [1], b: [3] });
  });
  it('trims items', () => {
    expect(splitList(' 1, 2 ,3', 'x')).toEqual(['1', '2', '3']);
  });
});
