/**
 * Files the CLI writes (--output, --save-best): checked before the sweep runs, so a typo in a path fails in a
 * second with exit 2 instead of after an hour of work; a write that still fails names the flag and the file.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/** Throw a UsageError naming `flag` when `file` cannot be created or replaced. */
export function checkWritable(file: string, flag: string): void {
  if (file.trim() === '') throw new UsageError(`--${flag}: empty file name`);
  const existing = statOrUndefined(file);
  if (existing?.isDirectory()) throw new UsageError(`--${flag} ${file}: is a directory`, 'give a file name');
  const dir = dirname(file);
  const parent = statOrUndefined(dir);
  if (parent === undefined) throw new UsageError(`--${flag} ${file}: directory ${dir} does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`--${flag} ${file}: ${dir} is not a directory`);
  try {
    accessSync(existing ? file : dir, constants.W_OK);
  } catch {
    throw new UsageError(`--${flag} ${file}: permission denied`);
  }
}

/** Run a write; a file system error becomes a UsageError naming the flag and the file. */
export async function writingTo<T>(file: string, flag: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (typeof code !== 'string') throw err;
    throw new UsageError(`--${flag} ${file}: cannot write (${code})`);
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
