/**
 * Which UDF modules a worker runs: only files in its own --udf-dir, named by plain file name. A job cannot name a
 * path: the name must be a bare .mjs/.js file name (jobs.ts), and the resolved file — symlinks followed — must
 * still lie inside the directory. Anything else is refused with a message naming the module and the directory.
 */
import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { MODULE_NAME } from './jobs.js';

export class ModuleRefusedError extends Error {
  readonly code = 'E_UDF_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'ModuleRefusedError';
  }
}

/** Check --udf-dir when the worker starts; returns its real path. */
export function checkUdfDir(dir: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw new UsageError(`--udf-dir ${dir}: no such directory`);
  }
  if (!statSync(real).isDirectory()) throw new UsageError(`--udf-dir ${dir}: not a directory`);
  return real;
}

/** The file: URL of module `name` inside `dir` (a real path from checkUdfDir), or ModuleRefusedError. */
export function resolveUdfModule(dir: string | undefined, name: string): string {
  if (dir === undefined) throw new ModuleRefusedError(`UDF module "${name}" refused: this worker has no --udf-dir, so it runs built-in models only`);
  if (!MODULE_NAME.test(name) || name.includes('/') || name.includes('\\')) {
    throw new ModuleRefusedError(`UDF module "${name}" refused: not a plain .mjs/.js file name inside --udf-dir ${dir}`);
  }
  let real: string;
  try {
    real = realpathSync(join(dir, name));
  } catch {
    throw new ModuleRefusedError(`UDF module "${name}" refused: not found in --udf-dir ${dir}`);
  }
  if (!real.startsWith(dir + sep) || !statSync(real).isFile()) {
    throw new ModuleRefusedError(`UDF module "${name}" refused: it resolves outside --udf-dir ${dir}`);
  }
  return pathToFileURL(real).href;
}
