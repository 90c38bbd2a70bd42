/**
 * Every input format reads the same table to the same Dataset, bit for bit — CSV, TSV (sniffed and by name), any
 * --delimiter, gzip, JSON lines (plain and gzip), Arrow IPC file and stream (apache-arrow), Parquet (written here by
 * hyparquet-writer, snappy), standard input — and each keeps the error contract: one DataError naming the input.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as arrow from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { readStdin, sniffFormat } from '../../dist/data/formats.js';
import { DataError } from '../../dist/errors.js';
import { tempDir } from '../cli/helpers.js';

const A = [1.5, 2, -3.25, 4e-7, 5, 6];
const B = [10, 20, 30, 40, 50, 61];
const T = [0.1, 0.25, 0.5, 0.75, 1e10, -2];
const CSV = `a,b,target\n${A.map((_, i) => `${A[i]},${B[i]},${T[i]}`).join('\n')}\n`;

const snapshot = (d: Awaited<ReturnType<typeof loadData>>['data']) => ({ features: d.featureNames, target: d.targetName, rows: d.rows, x: Array.from(d.x), y: Array.from(d.y), classes: d.classes });

function write(dir: string, name: string, content: string | Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
}

function arrowTable(): arrow.Table {
  return arrow.tableFromArrays({ a: Float64Array.from(A), b: Int32Array.from(B), target: Float64Array.from(T) });
}

describe('input formats', () => {
  it('read the same rows from CSV, TSV, ; with --delimiter, gzip, JSON lines, Arrow IPC (file and stream), Parquet and stdin', async () => {
    const dir = tempDir('sweep-formats-');
    const expected = snapshot((await loadData(write(dir, 'd.csv', CSV))).data);
    const tsv = CSV.replaceAll(',', '\t');
    const jsonl = A.map((_, i) => JSON.stringify({ a: A[i], b: B[i], target: T[i] })).join('\n') + '\n';
    const parquet = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'a', data: A, type: 'DOUBLE' }, { name: 'b', data: B, type: 'INT32' }, { name: 'target', data: T, type: 'DOUBLE' }] }));
    const inputs: [string, Promise<Awaited<ReturnType<typeof loadData>>>][] = [
      ['tsv by name', loadData(write(dir, 'd.tsv', tsv))],
      ['tsv sniffed', loadData(write(dir, 'tabs.txt', tsv))],
      ['semicolons', loadData(write(dir, 'semi.csv', CSV.replaceAll(',', ';')), { delimiter: ';' })],
      ['csv.gz', loadData(write(dir, 'd.csv.gz', gzipSync(CSV)))],
      ['gzip without a name', loadData(write(dir, 'blob', gzipSync(CSV)))],
      ['jsonl', loadData(write(dir, 'd.jsonl', jsonl))],
      ['jsonl.gz', loadData(write(dir, 'd.jsonl.gz', gzipSync(jsonl)))],
      ['jsonl sniffed', loadData(write(dir, 'records', jsonl))],
      ['arrow file', loadData(write(dir, 'd.arrow', arrow.tableToIPC(arrowTable(), 'file')))],
      ['arrow stream', loadData(write(dir, 'd.stream', arrow.tableToIPC(arrowTable(), 'stream')))],
      ['feather by name', loadData(write(dir, 'd.feather', arrow.tableToIPC(arrowTable(), 'file')))],
      ['parquet', loadData(write(dir, 'd.parquet', parquet))],
      ['parquet sniffed', loadData(write(dir, 'p.bin', parquet))],
      ['stdin csv', readStdin({}, Readable.from([Buffer.from(CSV)]))],
      ['stdin parquet', readStdin({}, Readable.from([Buffer.from(parquet)]))],
    ];
    for (const [name, p] of inputs) expect(snapshot((await p).data), name).toEqual({ ...expected, classes: undefined });
  });

  it('sniffs formats from the first bytes before the name', async () => {
    const dir = tempDir('sweep-formats-');
    expect(await sniffFormat(write(dir, 'x.csv', arrow.tableToIPC(arrowTable(), 'file')), 'x')).toEqual({ format: 'arrow', gzip: false });
    expect(await sniffFormat(write(dir, 'y.dat', '{"a": 1}\n'), 'y')).toEqual({ format: 'jsonl', gzip: false });
    expect(await sniffFormat(write(dir, 'z.dat', 'a,b\n'), 'z')).toEqual({ format: 'csv', gzip: false });
  });

  it('reads text targets as classes and nulls as missing cells in every format', async () => {
    const dir = tempDir('sweep-formats-');
    const jsonl = '{"a": 1, "target": "yes"}\n{"a": 2, "target": "no"}\n{"a": null, "target": "yes"}\n{"a": 4, "target": "no"}\n';
    const j = await loadData(write(dir, 'c.jsonl', jsonl), { missing: 'drop' });
    expect(j.data.classes).toEqual(['no', 'yes']);
    expect(Array.from(j.data.y)).toEqual([1, 0, 0]);
    expect(j.droppedRows).toBe(1);
    const table = arrow.tableFromArrays({ a: Float64Array.from([1, 2, NaN, 4]), target: ['yes', 'no', 'yes', 'no'] });
    const a = await loadData(write(dir, 'c.arrow', arrow.tableToIPC(table, 'file')), { missing: 'drop' });
    expect({ classes: a.data.classes, y: Array.from(a.data.y), dropped: a.droppedRows }).toEqual({ classes: ['no', 'yes'], y: [1, 0, 0], dropped: 1 });
    const parquet = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'a', data: [1, 2, null, 4], type: 'DOUBLE' }, { name: 'target', data: ['yes', 'no', 'yes', 'no'], type: 'STRING' }] }));
    const p = await loadData(write(dir, 'c.parquet', parquet), { missing: 'drop' });
    expect({ classes: p.data.classes, y: Array.from(p.data.y), dropped: p.droppedRows }).toEqual({ classes: ['no', 'yes'], y: [1, 0, 0], dropped: 1 });
  });

  it('drops a row with a missing target in every format, --missing drop or not', async () => {
    const dir = tempDir('sweep-formats-');
    const j = await loadData(write(dir, 't.jsonl', '{"a": 1, "target": 2}\n{"a": 2, "target": null}\n{"a": 3, "target": 4}\n'));
    expect([Array.from(j.data.y), j.droppedRows]).toEqual([[2, 4], 1]);
    const table = arrow.tableFromArrays({ a: Float64Array.from([1, 2, 3]), target: Float64Array.from([2, NaN, 4]) });
    const a = await loadData(write(dir, 't.arrow', arrow.tableToIPC(table, 'file')));
    expect([Array.from(a.data.y), a.droppedRows]).toEqual([[2, 4], 1]);
  });

  const refusals: [string, string | Uint8Array, RegExp, Record<string, unknown>?][] = [
    ['bad.jsonl', '{"a": 1, "target": 2}\n{"a": 3, target: 4}\n', /bad\.jsonl:2: not valid JSON/],
    ['key.jsonl', '{"a": 1, "target": 2}\n{"a": 3, "b": 5, "target": 4}\n', /key\.jsonl:2: key "b" is not in the first record's keys/],
    ['array.jsonl', '[1, 2]\n', /array\.jsonl:1: a JSON lines record must be an object/],
    ['nested.jsonl', '{"a": {"x": 1}, "target": 2}\n{"a": 1, "target": 3}\n', /nested\.jsonl:1:1: key "a": a nested object is not a column value/],
    ['text.jsonl', '{"a": "hot", "target": 2}\n{"a": 1, "target": 3}\n', /text\.jsonl:1:1: column "a": "hot" is not a number/, { numeric: ['a'] }],
    ['null.jsonl', '{"a": null, "target": 2}\n{"a": 1, "target": 3}\n', /null\.jsonl:1:1: column "a": empty cell/, { missing: 'error' }],
    ['broken.csv.gz', gzipSync(CSV).subarray(0, 30), /broken\.csv\.gz: not a valid gzip file/],
    ['junk.arrow', 'ARROW1 but not really', /junk\.arrow: not a readable Arrow IPC/],
    ['junk.parquet', 'PAR1 and nothing', /junk\.parquet: not a readable Parquet file/],
    ['missing.arrow', arrow.tableToIPC(arrow.tableFromArrays({ a: Float64Array.from([1, NaN, 3]), target: Float64Array.from([1, 2, 3]) }), 'file'), /missing\.arrow: column "a": missing value in row 2/, { missing: 'error' }],
    ['text.arrow', arrow.tableToIPC(arrow.tableFromArrays({ a: ['x', 'y', 'z'], target: Float64Array.from([1, 2, 3]) }), 'file'), /text\.arrow: column "a": "x" in row 1 is not a number/, { numeric: ['a'] }],
    ['notarget.parquet', new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'a', data: [1, 2, 3], type: 'DOUBLE' }] })), /notarget\.parquet:1: no target column "target"; available columns: a/],
  ];
  for (const [name, content, message, options] of refusals) {
    it(`refuses ${name} with one DataError naming it`, async () => {
      const dir = tempDir('sweep-formats-');
      const err = await loadData(write(dir, name, content), options).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as DataError).message).toMatch(message);
      expect((err as DataError).exitCode).toBe(2);
    });
  }
});
