import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DataError } from '../../dist/errors.js';

export const tmp = mkdtempSync(join(tmpdir(), 'sweep-data-'));

let counter = 0;
/** Write a file under the test's temp directory and return its path. */
export function csvFile(content: string | Uint8Array, name = `t${counter++}.csv`): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

/** Await a rejection, check it is a DataError, and return it for further checks. */
export async function dataError(p: Promise<unknown>): Promise<DataError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  return err as DataError;
}

/** Assert a DataError at exactly file:line:column whose message contains every fragment. */
export async function expectDataError(p: Promise<unknown>, at: string, ...fragments: string[]): Promise<DataError> {
  const err = await dataError(p);
  expect(err.message.startsWith(`${at}: `), `"${err.message}" should start with "${at}: "`).toBe(true);
  for (const f of fragments) expect(err.message).toContain(f);
  return err;
}
