/**
 * The CSV fast path (csv-fast.ts, decimal.ts) must read exactly what csv-parse + parseCell read: the same doubles
 * bit for bit (negative zero included), and give up — so csv-parse reports as before — on anything else.
 * The csv-parse side is forced by quoting one header name: a quote character anywhere makes the fast path give up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadData, type LoadOptions } from '../../dist/data/load.js';
import { scanPlainCsv } from '../../dist/data/csv-fast.js';
import { RecordSink } from '../../dist/data/csv-sink.js';
import { DecimalScanner } from '../../dist/data/decimal.js';
import { parseCell } from '../../dist/data/number.js';
import { SeededRandom } from '../../dist/util/random.js';
import type { Dataset } from '../../dist/data/dataset.js';
import { csvFile } from './helpers.js';

/** The fast path alone: the loaded data, or null when it gives up. */
async function fast(text: string | Uint8Array, options: LoadOptions = {}) {
  const f = csvFile(text);
  const sink = new RecordSink(f, f, options);
  return (await scanPlainCsv(f, sink)) ? sink.finish().data : null;
}

/** csv-parse alone, on the same text with the first header name quoted. */
async function slow(text: string, options: LoadOptions = {}) {
  const bom = text.startsWith('\ufeff') ? '\ufeff' : '';
  const body = text.slice(bom.length);
  const comma = body.search(/[,\r\n]/);
  const quoted = `${bom}"${body.slice(0, comma)}"${body.slice(comma)}`;
  return (await loadData(csvFile(quoted), options)).data;
}

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Bit-identical columns; on a mismatch, name the first differing value. */
function expectSame(a: Dataset, b: Dataset): void {
  expect(a.featureNames).toEqual(b.featureNames);
  expect(a.rows).toBe(b.rows);
  for (const [p, q] of [
    [a.x, b.x],
    [a.y, b.y],
  ]) {
    if (!bytes(p).equals(bytes(q))) {
      const i = p.findIndex((v, k) => !Object.is(v, q[k]));
      expect(p[i], `value ${i}`).toBe(q[i]);
    }
  }
}

/** A number as String() prints it or as people write it: exponents, signs, leading zeros, long mantissas. */
function cell(rng: SeededRandom): string {
  const x = (rng.nextFloat() * 2 - 1) * 10 ** Math.floor(rng.nextFloat() * 60 - 30);
  switch (Math.floor(rng.nextFloat() * 10)) {
    case 0:
      return String(Math.round(x * 1e6));
    case 1:
      return x.toExponential(Math.floor(rng.nextFloat() * 20));
    case 2:
      return x.toFixed(Math.floor(rng.nextFloat() * 25));
    case 3:
      return x.toPrecision(1 + Math.floor(rng.nextFloat() * 21)).replace('e', 'E');
    case 4:
      return ['-0', '0', '+0.0', '-.5e-3', '5.', '.5', '00012', '+1e+5', '9007199254740993', '9007199254740991', '1e23', '1e-400', '4.9e-324', '1.7976931348623157e308', '2.2250738585072011e-308', '0.1000000000000000055511151231257827', '123456789012345678901234567890'][Math.floor(rng.nextFloat() * 17)];
    default:
      return String(x);
  }
}

function table(rng: SeededRandom, rows: number, width: number, eol: string): string {
  const lines = [Array.from({ length: width - 1 }, (_, j) => `x${j + 1}`).concat('target').join(',')];
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: width }, () => cell(rng)).join(','));
  return lines.join(eol) + eol;
}

describe('CSV fast path: the same doubles as csv-parse', () => {
  it('on 20 000 generated rows of every number form', async () => {
    const text = table(new SeededRandom(7), 20_000, 6, '\n');
    const a = await fast(text);
    expect(a).not.toBeNull();
    expectSame(a!, await slow(text));
  });

  it('with CRLF, a BOM, blank lines and no final line feed', async () => {
    const rng = new SeededRandom(8);
    const text = `\ufeff${table(rng, 500, 3, '\r\n')}\r\n\n${table(rng, 1, 3, '\r\n').split('\r\n')[1]}`;
    const a = await fast(text);
    expect(a).not.toBeNull();
    expect(a!.rows).toBe(501);
    expectSame(a!, await slow(text));
  });

  it('a CR that ends the file ends the last line, as for csv-parse', async () => {
    const text = 'a,target\n1,2\n3,4\r';
    expectSame((await fast(text))!, await slow(text));
  });

  it('negative zero stays negative', async () => {
    const a = await fast('a,target\n-0,1\n-0.0e5,2\n');
    expect(Object.is(a!.x[0], -0) && Object.is(a!.x[1], -0)).toBe(true);
  });

  it('--ignore leaves a text column unread; --features and no target pick as csv-parse does', async () => {
    const text = 'id,a,b,y\nr 1;x,1,2,3\n,4,5,6\n';
    for (const options of [{ target: 'y', ignore: ['id'] }, { target: 'a', features: ['y', 'b'] }, { target: null, features: ['b'] }] as LoadOptions[]) {
      const a = await fast(text, options);
      expect(a).not.toBeNull();
      expectSame(a!, await slow(text, options));
    }
  });

  it('the header names are the same strings (UTF-8, trimmed)', async () => {
    const a = await fast('\u00e9t\u00e9 , target\n1,2\n3,4\n');
    expect(a!.featureNames).toEqual(['\u00e9t\u00e9']);
  });
});

describe('CSV fast path: gives up on anything but plain numbers', () => {
  const ignoreB = { ignore: ['b'] };
  it('reads a text target as class labels, as csv-parse does (numbers among them by their value)', async () => {
    for (const text of ['a,target\n1,2\n2,yes\n3,2.0\n4, 1.50\n5,no\n6,1.5\n7,yes\n', 'a,target\n1,benign\n2,malignant\n3,benign\n', 'a,b,target\n1,2,été\n3,4,hiver\n5,6,été\n']) {
      const f = await fast(text);
      expect(f, text).not.toBeNull();
      const s = await slow(text);
      expect(f!.classes).toEqual(s.classes);
      expectSame(f!, s);
    }
  });

  it('reads a blank around a number, a text feature (a label column), a missing cell and an overflow as csv-parse does', async () => {
    for (const text of ['a,target\n 1,2\n3,4\n', 'a,target\n1,2\nabc,4\n3,5\n', 'a,b,target\n1,2,3\n1e400,,4\n5,NA,6\n', 'a,b,target\nx,1,2\n7,2,3\ny,,4\n', 'a,b,target\nx,1,2\nx ,2,3\ny,3,4\nx,4,5\n 7,5,6\n7,6,7\ny,7,8\n']) {
      const f = await fast(text);
      expect(f, text).not.toBeNull();
      const s = await slow(text);
      expect(f!.featureInfo, text).toEqual(s.featureInfo);
      expectSame(f!, s);
    }
  });

  it('but reads an ignored column of text', async () => {
    expect(await fast('a,b,target\n1,x y,2\n3,,4\n', ignoreB)).not.toBeNull();
  });
  const cases: Record<string, string | Uint8Array | [string, LoadOptions]> = {
    'a quote': 'a,target\n"1",2\n3,4\n',
    'a quote in an ignored column': ['a,b,target\n1,"x",2\n3,y,4\n', ignoreB],
    'a lone CR': 'a,target\r1,2\r3,4\r',
    'a lone CR in an ignored column': ['a,b,target\n1,x\ry,2\n3,4,5\n', ignoreB],
    'an empty cell': 'a,target\n1,\n3,4\n',
    'an empty cell under --missing error': ['a,b,target\n1,,2\n3,4,5\n', { missing: 'error' }],
    'a missing word under --missing drop': ['a,b,target\n1,NA,2\n3,4,5\n', { missing: 'drop' }],
    'a text cell of a --numeric column': ['a,target\n1,2\nabc,4\n', { numeric: ['a'] }],
    'hexadecimal': 'a,target\n1,2\n0x10,4\n',
    'too few fields': 'a,b,target\n1,2\n3,4,5\n',
    'too many fields': 'a,target\n1,2,3\n3,4\n',
    'a trailing comma': 'a,target\n1,2,\n3,4\n',
    'a NUL byte': new Uint8Array([...Buffer.from('a,target\n1,2\n3,4'), 0, 10]),
    'UTF-16': new Uint8Array([0xff, 0xfe, 97, 0, 10, 0]),
    'a duplicate header name': 'a,a,target\n1,2,3\n4,5,6\n',
    'a header that is not UTF-8': new Uint8Array([...Buffer.from('a'), 0xe9, ...Buffer.from(',target\n1,2\n3,4\n')]),
    'a line over the limit': `a,target\n1,${'1'.repeat(3 * 1024 * 1024)}\n3,4\n`,
  };
  for (const [what, text] of Object.entries(cases)) {
    it(what, async () => {
      expect(await (Array.isArray(text) ? fast(...text) : fast(text))).toBeNull();
    });
  }
});

describe('DecimalScanner', () => {
  const scan = (s: string) => {
    const d = new DecimalScanner();
    const v = d.scan(Buffer.from(`${s}\n`), 0);
    return { v, whole: d.end === s.length };
  };

  it('takes exactly the plain grammar', () => {
    for (const s of ['1', '-1.5', '+.5', '5.', '1e5', '1E+05', '-0', '00012', '1.5e-3']) expect(scan(s).whole, s).toBe(true);
    for (const s of ['', '-', '+', '.', '.e1', 'e1']) expect(scan(s).v, s).toBeNaN();
    for (const s of ['1e', '1e+', '1.5E-']) expect(scan(s).v, s).toBeNaN();
    expect(scan('1x').whole).toBe(false); // stops before the x: the caller gives up
  });

  it('any string of number characters it reads whole is what parseCell reads, bit for bit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-+]?[0-9]{0,25}(\.[0-9]{0,25})?([eE][-+]?[0-9]{0,4})?$/), (s) => {
        const { v, whole } = scan(s);
        if (whole && !Number.isNaN(v)) expect(Object.is(v, parseCell(s)), s).toBe(true);
        else expect(Number.isNaN(parseCell(s)) || !whole, s).toBe(true);
      }),
      { numRuns: 5000, seed: 3 },
    );
  });
});

describe('CSV fast path: property', () => {
  const number = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(3)),
    fc.stringMatching(/^[-+]?[0-9]{1,20}(\.[0-9]{0,20})?([eE][-+]?[0-9]{1,3})?$/).filter((s) => Number.isFinite(Number(s))),
  );
  const csv = fc.integer({ min: 1, max: 4 }).chain((features) =>
    fc.record({
      rows: fc.array(fc.array(number, { minLength: features + 1, maxLength: features + 1 }), { minLength: 2, maxLength: 12 }),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      lastEol: fc.boolean(),
      header: fc.constant([...Array.from({ length: features }, (_, j) => `f${j}`), 'target']),
    }),
  );

  it('random numeric CSV text: bit-identical columns to csv-parse', async () => {
    await fc.assert(
      fc.asyncProperty(csv, async ({ rows, eol, bom, lastEol, header }) => {
        const text = (bom ? '\ufeff' : '') + [header, ...rows].map((r) => r.join(',')).join(eol) + (lastEol ? eol : '');
        const targets = rows.map((r) => Number(r[r.length - 1]));
        if (targets.every((t) => t === targets[0])) return; // a constant target is refused on both paths
        const a = await fast(text);
        expect(a).not.toBeNull();
        expectSame(a!, await slow(text));
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
