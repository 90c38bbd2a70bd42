/**
 * Files the CLI writes (--output, --save-best, --checkpoint): checked before the sweep runs, so a typo in a path
 * fails in a second with exit 2 instead of after an hour of work, and no output can name one of the run's inputs
 * (the data file, the grid file, the UDF module) and append to or overwrite it. A write that still fails names
 * the flag and the file.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface CheckWritableOptions {
  /** Missing parent directories will be created (checkpoints): check the nearest one that exists instead. */
  createsDirs?: boolean;
}

/** Throw a UsageError naming `flag` when `file` cannot be created or replaced. */
export function checkWritable(file: string, flag: string, opts: CheckWritableOptions = {}): void {
  if (file.trim() === '') throw new UsageError(`--${flag}: empty file name`);
  const existing = statOrUndefined(file);
  if (existing?.isDirectory()) throw new UsageError(`--${flag} ${file}: is a directory`, 'give a file name');
  if (existing !== undefined && !existing.isFile() && !existing.isFIFO() && !existing.isCharacterDevice()) throw new UsageError(`--${flag} ${file}: not a regular file`);
  let dir = dirname(file);
  let parent = statOrUndefined(dir);
  if (opts.createsDirs) {
    while (parent === undefined && dirname(dir) !== dir) {
      dir = dirname(dir);
      parent = statOrUndefined(dir);
    }
  }
  if (parent === undefined) throw new UsageError(`--${flag} ${file}: directory ${dirname(file)} does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`--${flag} ${file}: ${dir} is not a directory`);
  try {
    accessSync(existing ? file : dir, constants.W_OK);
  } catch {
    throw new UsageError(`--${flag} ${file}: permission denied`);
  }
}

/** A file named by a flag. */
export interface NamedFile {
  flag: string;
  file: string;
}

/** Refuse an output that is one of the inputs (same path after resolving links, or the same inode). */
export function checkNotInput(outputs: readonly NamedFile[], inputs: readonly NamedFile[]): void {
  // Only inputs that are files: `--data diabetes` (built in) or `friedman1:…` name no file an output could hit.
  const ids = inputs.filter((i) => statOrUndefined(i.file)?.isFile()).map((i) => ({ ...i, id: fileIdentity(i.file) }));
  const outs = outputs.map((o) => ({ ...o, id: fileIdentity(o.file) }));
  for (const [a, out] of outs.entries()) {
    if (out.id === undefined) continue;
    const same = ids.find((i) => i.id === out.id);
    if (same) throw new UsageError(`--${out.flag} ${out.file} is the ${same.flag} file: it would be overwritten`, 'write the results somewhere else');
    const twin = outs.slice(a + 1).find((o) => o.id === out.id);
    if (twin) throw new UsageError(`--${out.flag} and --${twin.flag} name the same file ${twin.file}`);
  }
}

/** Device:inode of an existing file, else its resolved path (through the real path of its directory). */
function fileIdentity(file: string): string | undefined {
  if (file.trim() === '' || file === '-') return undefined;
  const st = statOrUndefined(file);
  if (st) return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  try {
    return resolve(realpathSync(dirname(file)), file.slice(dirname(file).length + 1));
  } catch {
    return resolve(file);
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
