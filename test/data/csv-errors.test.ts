import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../dist/errors.js';
import { loadData } from '../../dist/data/load.js';
import { MAX_LINE_BYTES } from '../../dist/data/csv.js';
import { fsErrorToDataError } from '../../dist/data/csv-errors.js';
import { csvFile, dataError, expectDataError, tmp } from './helpers.js';

describe('readCsv: bad cells, located at file:line:column with the column name and the value', () => {
  it('a non-numeric cell of a --numeric column (without it the column is categorical: types.test.ts)', async () => {
    const f = csvFile('age,bmi,target\n1,2,3\n4,5,6\n7,abc,9\n');
    await expectDataError(loadData(f, { numeric: ['bmi'] }), `${f}:4:2`, 'column "bmi": "abc" is not a number');
  });

  it('a text target is no error: its labels are classes (data/task.ts), numbers among them by their value', async () => {
    const f = csvFile('a,target\n1,2\n3,high\n4,2.0\n5,low\n');
    const { data } = await loadData(f);
    expect(data.classes).toEqual(['2', 'high', 'low']);
    expect(Array.from(data.y)).toEqual([0, 1, 0, 2]);
  });

  it('a missing target (empty, NA, NaN, null) always drops its row, counted, with its empty feature cells', async () => {
    const f = csvFile('a,b,target\n1,2,3\n3,,\n4,5,NA\n6,7,8\n9,10,NaN\n11,12,5\n');
    const { data, droppedRows, warnings } = await loadData(f);
    expect(Array.from(data.y)).toEqual([3, 8, 5]);
    expect(droppedRows).toBe(3);
    expect(warnings).toEqual([`${f}: dropped 3 of 6 rows with a missing target (the first at line 3)`]);
    // A --numeric feature's cell that is not a number is still an error in such a row.
    const g = csvFile('a,target\n1,2\nabc,\n3,4\n');
    await expectDataError(loadData(g, { numeric: ['a'] }), `${g}:3:1`, 'column "a": "abc" is not a number');
  });

  for (const bad of ['NaN', 'Infinity', '-Infinity', 'inf', '0x10', '1e400', '1,5', '1.2.3', '--1', '1e', '.', '', ' ']) {
    it(`rejects the cell ${JSON.stringify(bad)} of a --numeric column under --missing error`, async () => {
      const f = csvFile(`a,target\n1,2\n"${bad}",4\n`);
      const err = await expectDataError(loadData(f, { numeric: ['a'], missing: 'error' }), `${f}:3:1`, 'column "a": ');
      expect(err.message).toContain(bad.trim() === '' ? 'empty cell' : bad === 'NaN' ? 'missing value "NaN"' : `${JSON.stringify(bad)} is not a number`);
    });
  }

  it('cuts a long value short in the message', async () => {
    const f = csvFile(`a,target\n1,2\n${'z'.repeat(100)},4\n`);
    await expectDataError(loadData(f, { numeric: ['a'] }), `${f}:3:1`, `"${'z'.repeat(40)}…" is not a number`);
  });
});

describe('readCsv: bad structure', () => {
  it('a row with too many fields: expected vs got, the extra field', async () => {
    const f = csvFile('a,b,target\n1,2,3\n4,5,6,7\n');
    await expectDataError(loadData(f), `${f}:3:4`, 'row has 4 fields, expected 3', 'extra field "7"');
  });

  it('a row with too few fields: expected vs got, the first missing column', async () => {
    const f = csvFile('a,b,target\n1,2,3\n4,5\n');
    await expectDataError(loadData(f), `${f}:3:3`, 'row has 2 fields, expected 3', 'column "target" is missing');
  });

  it('duplicate column names', async () => {
    const f = csvFile('a,b,a,target\n1,2,3,4\n');
    await expectDataError(loadData(f), `${f}:1:3`, 'duplicate column name "a" (also column 1)');
  });

  it('an empty column name', async () => {
    const f = csvFile('a,,target\n1,2,3\n');
    await expectDataError(loadData(f), `${f}:1:2`, 'column 2 has an empty name');
  });

  it('an empty file, a BOM-only file, a blank-lines-only file', async () => {
    for (const text of ['', '\ufeff', '\n\n\n']) {
      const f = csvFile(text);
      await expectDataError(loadData(f), f, 'the file is empty');
    }
  });

  it('a header and no data rows', async () => {
    const f = csvFile('a,target\n');
    await expectDataError(loadData(f), f, 'has a header line but no data rows');
  });

  it('fewer than two data rows', async () => {
    const f = csvFile('a,target\n1,2\n');
    await expectDataError(loadData(f), f, 'needs at least 2 data rows, has 1');
    const g = csvFile('a,target\n1,2\n,3\n', 'drop1.csv');
    await expectDataError(loadData(g, { missing: 'drop' }), g, 'has 1 after dropping 1 with empty cells');
  });

  it('every row dropped', async () => {
    const f = csvFile('a,target\n,2\n1,\n');
    await expectDataError(loadData(f, { missing: 'drop' }), f, 'no rows left: all 2 data rows have empty cells');
  });

  it('a constant target: R² would be undefined', async () => {
    const f = csvFile('a,target\n1,5\n2,5\n3,5.0\n');
    await expectDataError(loadData(f), f, 'target column "target" is constant (every value is 5)', 'R² is undefined');
  });

  it('an unclosed quote, a quote inside a field, junk after a closing quote', async () => {
    const q = csvFile('a,target\n1,2\n3,"4\n5,6\n');
    await expectDataError(loadData(q), `${q}:4:2`, 'column "target": a quoted field is never closed');
    const o = csvFile('a,target\n1,2\n3,4"x"\n');
    await expectDataError(loadData(o), `${o}:3:2`, 'column "target": a quote inside an unquoted field');
    const c = csvFile('a,target\n1,2\n"3"x,4\n');
    await expectDataError(loadData(c), `${c}:3:1`, 'column "a": unexpected character after a closing quote');
  });
});

describe('readCsv: not a CSV file at all', () => {
  it('binary data (NUL bytes)', async () => {
    const f = csvFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x41, 0x0a]));
    await expectDataError(loadData(f), f, 'not a text CSV file (it contains NUL bytes)');
  });

  it('UTF-16 text', async () => {
    const f = csvFile(Buffer.from('\ufeffa,target\n1,2\n', 'utf16le'));
    const err = await expectDataError(loadData(f), f, 'not a text CSV file: it is UTF-16 encoded');
    expect(err.hint).toBe('save it as UTF-8');
  });

  it('a line longer than the limit is refused at that line, without reading on', async () => {
    const f = csvFile('x'.repeat(MAX_LINE_BYTES + 1024 * 1024));
    await expectDataError(loadData(f), `${f}:1`, 'line is too long (over 4 MiB)');
    const g = csvFile(`a,target\n1,2\n3,"${'y'.repeat(MAX_LINE_BYTES + 10)}`);
    await expectDataError(loadData(g), `${g}:3`, 'line is too long');
  });

  it('a directory', async () => {
    const d = join(tmp, 'a-directory.csv');
    mkdirSync(d);
    await expectDataError(loadData(d), d, 'is a directory, not a data file');
  });

  it('a missing file, and a file under a non-directory', async () => {
    const f = join(tmp, 'does-not-exist.csv');
    const err = await expectDataError(loadData(f), f, 'no such file');
    expect(err.message).toBe(`${f}: no such file`);
    const g = join(csvFile('a,target\n'), 'x.csv');
    await expectDataError(loadData(g), g, 'a part of the path is not a directory');
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file', async () => {
    const f = csvFile('a,target\n1,2\n3,4\n');
    chmodSync(f, 0o000);
    await expectDataError(loadData(f), f, 'permission denied');
  });

  it('maps file-system error codes to plain messages (EACCES even when tests run as root)', () => {
    const e = Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES', syscall: 'open' });
    const d = fsErrorToDataError(e, 'x.csv');
    expect(d).toBeInstanceOf(DataError);
    expect(d.message).toBe('x.csv: permission denied');
    const other = Object.assign(new Error('boom'), { code: 'EWEIRD', syscall: 'read' });
    expect(fsErrorToDataError(other, 'x.csv').message).toBe('x.csv: cannot read the file (EWEIRD)');
  });

  it('every DataError carries exit code 2 and code E_DATA', async () => {
    const f = csvFile('a,target\nx,1\n2,3\n');
    writeFileSync(f, 'a,target\nx,1\n2,3\n');
    const err = await dataError(loadData(f, { numeric: ['a'] }));
    expect([err.code, err.exitCode]).toEqual(['E_DATA', 2]);
    expect(err.location).toEqual({ file: f, line: 2, column: 1 });
  });
});
