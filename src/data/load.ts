/**
 * The one entry point for data: a spec string becomes a Dataset on a SharedArrayBuffer.
 *   "diabetes" (default), "diabetes-raw", "iris", "breast-cancer", "wine"   built-in CSVs shipped in datasets/
 *   "friedman1[:rows=N,noise=S,features=F,seed=K]"   synthetic, generated in memory
 *   "-"                                        standard input (any format below)
 *   anything else                              a file: CSV / TSV (csv.ts), JSON lines (jsonl.ts), Arrow IPC or
 *                                              Feather (arrow.ts), Parquet (parquet.ts); gzip-compressed CSV or
 *                                              JSON lines; the format from --format-in, else sniffed (formats.ts)
 * Errors: UsageError for a bad synthetic spec, DataError (file:line:column) for bad data.
 */
import { DataError, UsageError } from '../errors.js';
import { builtinPath, DEFAULT_DATA, isBuiltin } from './builtin.js';
import { readCsv } from './csv.js';
import { readInput, readStdin } from './formats.js';
import { friedmanFeatureNames, makeFriedman1, parseFriedmanSpec } from './friedman.js';
import { DEFAULT_TARGET, type LoadedData, type LoadOptions } from './options.js';

export type { LoadedData, LoadOptions, MissingPolicy } from './options.js';

export async function loadData(spec: string = DEFAULT_DATA, options: LoadOptions = {}): Promise<LoadedData> {
  if (spec.trim() === '') throw new UsageError('--data is empty: give a CSV file or a built-in data set (diabetes, friedman1:rows=N)');
  if (isBuiltin(spec)) return readCsv(builtinPath(spec), options, spec);
  if (isSyntheticSpec(spec)) return loadFriedman(spec, options);
  if (spec === '-') return readStdin(options);
  return readInput(spec, options, spec, spec);
}

/** "friedman1" or "friedman1:…"; a file that happens to be called friedman1.csv is still a file. */
export function isSyntheticSpec(spec: string): boolean {
  return spec === 'friedman1' || spec.startsWith('friedman1:');
}

function loadFriedman(spec: string, options: LoadOptions): LoadedData {
  const parsed = parseFriedmanSpec(spec, options.seed ?? 0);
  const names = friedmanFeatureNames(parsed.features);
  const file = spec;
  const available = `available columns: ${[...names, DEFAULT_TARGET].join(', ')}`;
  const target = options.target === null ? DEFAULT_TARGET : (options.target ?? DEFAULT_TARGET);
  if (target !== DEFAULT_TARGET) throw new DataError(`no target column "${target}"; ${available}`, { file });
  if (options.groupColumn !== undefined) throw new DataError(`${options.groupFlag ?? '--group-col'}: no column "${options.groupColumn}"; ${available}`, { file });
  const index = new Map(names.map((n, j) => [n, j] as const));
  const lookup = (flag: string, list: readonly string[]): number[] =>
    list.map((n) => {
      const j = index.get(n);
      if (j === undefined) {
        throw new DataError(n === DEFAULT_TARGET ? `${flag}: "${n}" is the target column` : `${flag}: no column "${n}"; ${available}`, { file });
      }
      return j;
    });
  let keep: number[] | undefined;
  if (options.features !== undefined) keep = lookup('--features', options.features);
  if (options.ignore !== undefined && options.ignore.length > 0) {
    const drop = new Set(lookup('--ignore', options.ignore));
    keep = (keep ?? names.map((_, j) => j)).filter((j) => !drop.has(j));
  }
  if (keep !== undefined && (keep.length === 0 || new Set(keep).size !== keep.length)) {
    throw new DataError(keep.length === 0 ? 'no feature columns left' : '--features lists a column twice', { file });
  }
  return { data: makeFriedman1(parsed, spec, keep), droppedRows: 0, warnings: [] };
}
