/**
 * Column types on load: text features become categories (sorted, codes in x), true/false becomes 0/1, ISO dates
 * seconds, missing cells NaN (--missing keep, the default), in the CSV fast path, the csv-parse path, JSON lines and
 * Arrow alike; --categorical, --numeric and --na-values; an all-distinct text column is refused as a feature.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { describeDataset } from '../../dist/data/describe.js';
import { DataError } from '../../dist/errors.js';
import { tempDir } from '../cli/helpers.js';

const CSV = [
  'origin,cyl,turbo,made,hp,y',
  'USA,8,false,1970-01-01,130,18',
  'Japan,4,TRUE,1971-05-01T12:00:00Z,,24',
  'Europe,4,false,1971-06-01,NA,27',
  'Japan,4,true,1971-07-01,88,27',
  'USA,6,,1971-08-01,95,21',
].join('\n');

const column = (d: { x: Float64Array; rows: number }, j: number) => Array.from(d.x.subarray(j * d.rows, (j + 1) * d.rows));

describe('column types', () => {
  it('infers categorical, numeric, boolean and time columns; missing cells are NaN', async () => {
    const dir = tempDir();
    const plain = join(dir, 'cars.csv');
    writeFileSync(plain, `${CSV}\n`);
    // The same table with a quoted field: csv-parse's path instead of the fast one, to the same values.
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, `${CSV.replace('USA,8', '"USA",8')}\n`);
    const jsonl = join(dir, 'cars.jsonl');
    const [head, ...rows] = CSV.split('\n').map((l) => l.split(','));
    writeFileSync(jsonl, rows.map((r) => JSON.stringify(Object.fromEntries(head.map((h, k) => [h, r[k] === '' ? null : /^\d+$/.test(r[k]) ? Number(r[k]) : r[k]])))).join('\n'));
    for (const file of [plain, quoted, jsonl]) {
      const { data } = await loadData(file, { target: 'y' });
      expect(data.featureInfo, file).toEqual([
        { kind: 'categorical', categories: ['Europe', 'Japan', 'USA'] },
        { kind: 'numeric' },
        { kind: 'boolean' },
        { kind: 'time' },
        { kind: 'numeric' },
      ]);
      expect(column(data, 0), file).toEqual([2, 1, 0, 1, 2]);
      expect(column(data, 2), file).toEqual([0, 1, 0, 1, NaN]);
      expect(column(data, 3), file).toEqual([0, Date.UTC(1971, 4, 1, 12) / 1000, Date.UTC(1971, 5, 1) / 1000, Date.UTC(1971, 6, 1) / 1000, Date.UTC(1971, 7, 1) / 1000]);
      expect(column(data, 4), file).toEqual([130, NaN, NaN, 88, 95]);
    }
  });

  it('reads Arrow text and null features the same way', async () => {
    const dir = tempDir();
    const file = join(dir, 'cars.arrow');
    const table = arrow.tableFromArrays({ origin: ['USA', 'Japan', null, 'Japan'], hp: Float64Array.from([1, NaN, 3, 4]), y: Float64Array.from([1, 2, 3, 5]) });
    writeFileSync(file, arrow.tableToIPC(table, 'file'));
    const { data } = await loadData(file, { target: 'y' });
    expect(data.featureInfo).toEqual([{ kind: 'categorical', categories: ['Japan', 'USA'] }, { kind: 'numeric' }]);
    expect(column(data, 0)).toEqual([1, 0, NaN, 0]);
  });

  it('reads an Arrow text target and group column by the CSV rule: "2" and "2.0" are one label', async () => {
    const dir = tempDir();
    const file = join(dir, 'labels.arrow');
    const table = arrow.tableFromArrays({ x: Float64Array.from([1, 2, 3, 4, 5, 6]), g: ['1', '1.0', '2', ' 2', '1', '2.0'], y: ['2', '2.0', 'a', ' a', '2', 'a'] });
    writeFileSync(file, arrow.tableToIPC(table, 'file'));
    const { data } = await loadData(file, { target: 'y', groupColumn: 'g' });
    expect(data.classes).toEqual(['2', 'a']);
    expect(data.groups?.values).toEqual(['1', '2']);
    const csv = join(dir, 'labels.csv');
    writeFileSync(csv, 'x,g,y\n1,1,2\n2,1.0,2.0\n3,2,a\n4, 2, a\n5,1,2\n6,2.0,a\n');
    const fromCsv = (await loadData(csv, { target: 'y', groupColumn: 'g' })).data;
    expect([fromCsv.classes, fromCsv.groups?.values, Array.from(fromCsv.y)]).toEqual([data.classes, data.groups?.values, Array.from(data.y)]);
  });

  it('--categorical, --numeric, --na-values and --missing error', async () => {
    const dir = tempDir();
    const file = join(dir, 'cars.csv');
    writeFileSync(file, `${CSV.replace('130', '?')}\n`);
    const forced = (await loadData(file, { target: 'y', categorical: ['cyl'], naValues: ['?'] })).data;
    expect(forced.featureInfo?.[1]).toEqual({ kind: 'categorical', categories: ['4', '6', '8'] });
    expect(column(forced, 4)).toEqual([NaN, NaN, NaN, 88, 95]);
    await expect(loadData(file, { target: 'y', numeric: ['origin'] })).rejects.toThrow(/column "origin": "USA" is not a number/);
    await expect(loadData(file, { target: 'y', missing: 'error' })).rejects.toThrow(/cars.csv:3:5: column "hp": empty cell/);
    await expect(loadData(file, { target: 'y', categorical: ['nope'] })).rejects.toThrow(/--categorical: "nope" is not one of the features/);
    // Four of the five rows have a missing cell ("?" among them): dropping them leaves too few.
    await expect(loadData(file, { target: 'y', missing: 'drop', naValues: ['?'] })).rejects.toThrow(/needs at least 2 data rows, has 1 after dropping 4/);
    expect((await loadData(file, { target: 'y', missing: 'drop' })).data.rows).toBe(2);
  });

  it('refuses a text column with a different value in every row as a feature, naming --ignore and --categorical', async () => {
    const dir = tempDir();
    const file = join(dir, 'ids.csv');
    writeFileSync(file, `name,x,y\n${Array.from({ length: 30 }, (_, i) => `car ${i},${i % 7},${i % 5}`).join('\n')}\n`);
    const err = await loadData(file, { target: 'y' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toMatch(/column "name" holds a different text value in every one of its 30 rows \(an id or a name\?\), not a feature/);
    expect((err as DataError).hint).toMatch(/--ignore name, or keep it with --categorical name/);
    expect((await loadData(file, { target: 'y', categorical: ['name'] })).data.featureInfo?.[0].kind).toBe('categorical');
  });

  it('says when a column is numbers but for a placeholder word, and how to read it as missing', async () => {
    const dir = tempDir();
    const file = join(dir, 'hp.csv');
    writeFileSync(file, `hp,y\n${Array.from({ length: 30 }, (_, i) => `${i % 10 === 3 ? '?' : 80 + i},${i % 7}`).join('\n')}\n`);
    const { data, warnings } = await loadData(file, { target: 'y' });
    expect(data.featureInfo?.[0].kind).toBe('categorical');
    expect(warnings).toEqual([`${file}: column "hp" is numbers but for "?" in 3 of 30 rows, so it was read as categories: if that means missing, use --na-values '?' (or --numeric hp to refuse it)`]);
    const read = await loadData(file, { target: 'y', naValues: ['?'] });
    expect([read.data.featureInfo, read.warnings]).toEqual([undefined, []]);
    // A real text column says nothing.
    expect((await loadData(join(dir, 'hp.csv'), { target: 'y', categorical: ['hp'] })).warnings).toEqual([]);
  });

  it('describes each column', async () => {
    const dir = tempDir();
    const file = join(dir, 'cars.csv');
    writeFileSync(file, `${CSV}\n`);
    const rows = describeDataset((await loadData(file, { target: 'y' })).data, 'regression');
    expect(rows[0]).toEqual({ name: 'origin', type: 'categorical', distinct: 3, missing: 0, top: [{ value: 'Japan', rows: 2 }, { value: 'USA', rows: 2 }, { value: 'Europe', rows: 1 }] });
    expect(rows[4]).toEqual({ name: 'hp', type: 'numeric', distinct: 3, missing: 2, min: 88, max: 130 });
    expect(rows[3].min).toBe('1970-01-01');
    expect(rows[5]).toMatchObject({ name: 'y', type: 'target (regression)', missing: 0 });
  });
});
