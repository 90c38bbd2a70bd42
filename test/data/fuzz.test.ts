/**
 * Property: whatever bytes the data file holds, loadData resolves or rejects with a DataError — never another
 * exception, never a hang (vitest's timeout would catch one).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../dist/errors.js';
import { loadData } from '../../dist/data/load.js';
import { tmp } from './helpers.js';

const file = join(tmp, 'fuzz.csv');
/** Fixed for CI; FUZZ_SEED=n explores other cases. */
const SEED = Number(process.env.FUZZ_SEED ?? 1);

async function outcome(content: string | Uint8Array, missing: 'error' | 'drop'): Promise<string> {
  writeFileSync(file, content);
  try {
    const { data } = await loadData(file, { missing });
    expect(data.rows).toBeGreaterThanOrEqual(2);
    expect(data.x.length).toBe(data.rows * data.featureNames.length);
    return 'ok';
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    expect(err.message.startsWith(file)).toBe(true);
    return 'data-error';
  }
}

const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.integer().map(String));
/** Cells drawn from a vocabulary that hits every branch: numbers, blanks, quotes, junk, separators. */
const junk = fc.oneof(
  number,
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '0x10', 'abc', '"1,5"', '"', '""', '"a""b"', '1e', '\r', '\u00e9', '\ufeff'),
  fc.string({ maxLength: 4 }),
);
const headers = ['target', 'a,target', 'a,b,target', 'target,a', '\ufeffa,target', 'a,a,target'];
/** Mostly well-formed rows of the header's width, some rows of anything. */
const csvText = fc.constantFrom(...headers).chain((header) => {
  const width = header.split(',').length;
  const good = fc.array(number, { minLength: width, maxLength: width });
  const bad = fc.array(junk, { minLength: 1, maxLength: 5 });
  const row = fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 }).map((cells) => cells.join(','));
  return fc
    .tuple(fc.array(row, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'))
    .map(([rows, eol]) => [header, ...rows].join(eol));
});

describe('loadData never fails except with a DataError', () => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('error' as const, 'drop' as const), async (bytes, missing) => {
        await outcome(bytes, missing);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('random CSV-like text', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(csvText, fc.constantFrom('error' as const, 'drop' as const), async (text, missing) => {
        seen.add(await outcome(text, missing));
      }),
      { numRuns: 200, seed: SEED + 1 },
    );
    expect(seen).toEqual(new Set(['ok', 'data-error'])); // the generator does reach both outcomes
  });
});
