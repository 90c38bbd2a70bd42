import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { csvFile, expectDataError } from './helpers.js';

const cols = (d: { x: Float64Array; rows: number }, j: number) => Array.from(d.x.subarray(j * d.rows, (j + 1) * d.rows));

describe('readCsv: accepted inputs', () => {
  it('reads a plain file column-major onto one SharedArrayBuffer, target last', async () => {
    const f = csvFile('a,target,b\n1,10,-2.5\n2,20,3e2\n3,30.5,.25\n');
    const { data, droppedRows, warnings } = await loadData(f);
    expect(data.name).toBe(f);
    expect(data.featureNames).toEqual(['a', 'b']);
    expect(data.targetName).toBe('target');
    expect(data.rows).toBe(3);
    expect(Array.from(data.x)).toEqual([1, 2, 3, -2.5, 300, 0.25]);
    expect(Array.from(data.y)).toEqual([10, 20, 30.5]);
    expect(data.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(data.y.buffer).toBe(data.x.buffer);
    expect([droppedRows, warnings]).toEqual([0, []]);
  });

  it('handles a UTF-8 BOM, CRLF line endings, quoted fields with commas and a missing final newline', async () => {
    const f = csvFile('\ufeff"a",target,"note, with comma"\r\n"1.5",2,"7"\r\n-0.5,"4",8');
    const { data } = await loadData(f);
    expect(data.featureNames).toEqual(['a', 'note, with comma']);
    expect(cols(data, 0)).toEqual([1.5, -0.5]);
    expect(cols(data, 1)).toEqual([7, 8]);
    expect(Array.from(data.y)).toEqual([2, 4]);
  });

  it('accepts exponents, signs, blanks around numbers and skips blank lines', async () => {
    const f = csvFile('x,target\n+1E-3, 2 \n\n-.5e+2,1\n');
    const { data } = await loadData(f);
    expect(cols(data, 0)).toEqual([0.001, -50]);
    expect(Array.from(data.y)).toEqual([2, 1]);
  });

  it('fills a table larger than one column block exactly', async () => {
    const n = 300_000; // column blocks hold 4 MiB / (8 × 2) = 262 144 rows
    let text = 'x,target\n';
    for (let i = 0; i < n; i++) text += `${i},${i % 7}\n`;
    const { data } = await loadData(csvFile(text));
    expect(data.rows).toBe(n);
    expect(data.x[0]).toBe(0);
    expect(data.x[262_143]).toBe(262_143);
    expect(data.x[262_144]).toBe(262_144);
    expect(data.x[n - 1]).toBe(n - 1);
    expect(data.y[n - 1]).toBe((n - 1) % 7);
  });
});

describe('readCsv: --target, --features, --ignore', () => {
  const f = csvFile('id,a,b,c,y\nr1,1,2,3,4\nr2,5,6,7,9\n');

  it('--target picks the target; --ignore leaves a text column unparsed', async () => {
    const { data } = await loadData(f, { target: 'y', ignore: ['id'] });
    expect(data.featureNames).toEqual(['a', 'b', 'c']);
    expect(Array.from(data.y)).toEqual([4, 9]);
    expect(cols(data, 2)).toEqual([3, 7]);
  });

  it('--features keeps only the listed columns, in the order listed', async () => {
    const { data } = await loadData(f, { target: 'a', features: ['c', 'y'] });
    expect(data.featureNames).toEqual(['c', 'y']);
    expect(Array.from(data.x)).toEqual([3, 7, 4, 9]);
    expect(Array.from(data.y)).toEqual([1, 5]);
  });

  it('--features and --ignore together', async () => {
    const { data } = await loadData(f, { target: 'y', features: ['a', 'b'], ignore: ['id'] });
    expect(data.featureNames).toEqual(['a', 'b']);
  });

  it('names a text column that is not ignored when it must be numeric; else it is categorical', async () => {
    await expectDataError(loadData(f, { target: 'y', numeric: ['id'] }), `${f}:2:1`, 'column "id": "r1" is not a number');
    expect((await loadData(f, { target: 'y' })).data.featureInfo?.[0].kind).toBe('categorical');
  });

  it('unknown names fail at the header and list the real columns', async () => {
    await expectDataError(loadData(f, { target: 'nope' }), `${f}:1`, 'no target column "nope"', 'available columns: id, a, b, c, y');
    await expectDataError(loadData(f, { target: 'y', features: ['a', 'zz'] }), `${f}:1`, '--features: no column "zz"', 'id, a, b, c, y');
    await expectDataError(loadData(f, { target: 'y', ignore: ['qq'] }), `${f}:1`, '--ignore: no column "qq"');
    await expectDataError(loadData(f, { target: 'y', features: ['y'] }), `${f}:1`, '--features: "y" is the target column');
    await expectDataError(loadData(f, { target: 'y', features: ['a', 'a'] }), `${f}:1`, 'listed twice');
    await expectDataError(loadData(f, { target: 'y', ignore: ['id', 'a', 'b', 'c'] }), `${f}:1`, 'no feature columns left');
  });
});

describe('readCsv: --missing', () => {
  const f = csvFile('a,b,target\n1,2,3\n,5,6\n7,8,9\n10,11,\n12,13,14\n');

  it('an empty cell is missing (NaN) by default, an error under --missing error, with a hint', async () => {
    expect(Number.isNaN((await loadData(f)).data.x[1])).toBe(true);
    const err = await expectDataError(loadData(f, { missing: 'error' }), `${f}:3:1`, 'column "a": empty cell');
    expect(err.hint).toContain('--missing drop');
  });

  it('drop removes those rows, counts them and warns', async () => {
    const { data, droppedRows, warnings } = await loadData(f, { missing: 'drop' });
    expect(droppedRows).toBe(2);
    expect(data.rows).toBe(3);
    expect(cols(data, 0)).toEqual([1, 7, 12]);
    expect(Array.from(data.y)).toEqual([3, 9, 14]);
    // The row with an empty target is counted apart: it goes with or without --missing drop.
    expect(warnings).toEqual([`${f}: dropped 1 of 5 rows with empty cells (the first at line 3)`, `${f}: dropped 1 of 5 rows with a missing target (the first at line 5)`]);
  });

  it('drop still rejects a non-numeric cell of a --numeric column in a row it drops', async () => {
    const g = csvFile('a,b,target\n1,2,3\n,x,6\n7,8,9\n');
    await expectDataError(loadData(g, { missing: 'drop', numeric: ['b'] }), `${g}:3:2`, 'column "b": "x" is not a number');
  });

  it('an empty cell in an ignored column is not looked at', async () => {
    const g = csvFile('a,b,target\n1,,3\n2,,5\n');
    const { data } = await loadData(g, { ignore: ['b'] });
    expect(data.rows).toBe(2);
  });
});

// Hostile review class 24: a file rewritten while it is read must not mix old and new rows.
describe('a CSV that changes while it is read', () => {
  it('is refused when its size or modification time differs after the read', async () => {
    const { checkUnchanged } = await import('../../dist/data/csv.js');
    const { mkdtempSync, statSync, writeFileSync, appendFileSync, utimesSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'sweep-csv-')), 'd.csv');
    writeFileSync(file, 'a,target\n1,2\n3,4\n');
    const before = statSync(file);
    await expect(checkUnchanged(file, before)).resolves.toBeUndefined();
    appendFileSync(file, '5,6\n');
    await expect(checkUnchanged(file, before)).rejects.toThrow(/d\.csv: the file changed while it was being read \(size 17 → 21 bytes\)/);
    writeFileSync(file, 'a,target\n1,2\n3,9\n'); // same size, new content and mtime
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await expect(checkUnchanged(file, before)).rejects.toThrow(/changed while it was being read/);
  });
});
