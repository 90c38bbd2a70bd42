/**
 * Which header columns become features and which is the target (--target, --features, --ignore), checked
 * against the header so a typo fails with the list of real names before a single row is parsed.
 */
import { DataError } from '../errors.js';
import { DEFAULT_TARGET, type LoadOptions } from './options.js';

export interface ColumnSelection {
  featureNames: string[];
  targetName: string;
  /** The --fold-col / --group-col column, read as labels beside the features (folds.ts). */
  groupName?: string;
  /**
   * Header index of each feature, then of the target (at featureNames.length; −1: no target read), then of the
   * group column if any.
   */
  source: Int32Array;
}

/** Check the header itself: names present, non-empty, unique. Header names are trimmed. */
export function checkHeader(header: readonly string[], file: string, line = 1): string[] {
  const names = header.map((h) => h.trim());
  const seen = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    if (names[i] === '') throw new DataError(`column ${i + 1} has an empty name in the header`, { file, line, column: i + 1 });
    // The reader decodes UTF-8; bytes that are not UTF-8 come out as U+FFFD (binary, or Latin-1 / Windows-1252 text).
    if (names[i].includes('\uFFFD')) {
      throw new DataError('the header is not UTF-8 text (a binary file, or another encoding)', { file, line, column: i + 1 }, 'save it as UTF-8');
    }
    const first = seen.get(names[i]);
    if (first !== undefined) {
      throw new DataError(`duplicate column name "${names[i]}" (also column ${first + 1})`, { file, line, column: i + 1 });
    }
    seen.set(names[i], i);
  }
  return names;
}

export function selectColumns(names: readonly string[], options: LoadOptions, file: string, line = 1): ColumnSelection {
  const index = new Map(names.map((n, i) => [n, i] as const));
  const available = `available columns: ${listNames(names)}`;
  const where = { file, line };
  const targetName = options.target === null ? '' : (options.target ?? DEFAULT_TARGET);
  const t = options.target === null ? -1 : index.get(targetName);
  if (t === undefined) {
    throw new DataError(`no target column "${targetName}"; ${available}`, where, 'choose the target with --target NAME');
  }
  const checkNames = (flag: string, list: readonly string[]): void => {
    const dup = new Set<string>();
    for (const n of list) {
      if (!index.has(n)) throw new DataError(`${flag}: no column "${n}"; ${available}`, where);
      if (n === targetName) throw new DataError(`${flag}: "${n}" is the target column`, where);
      if (dup.has(n)) throw new DataError(`${flag}: column "${n}" is listed twice`, where);
      dup.add(n);
    }
  };
  const ignore = options.ignore ?? [];
  checkNames('--ignore', ignore);
  const group = options.groupColumn;
  if (group !== undefined) {
    checkNames(options.groupFlag ?? '--group-col', [group]);
    if (ignore.includes(group)) throw new DataError(`column "${group}" is in both ${options.groupFlag ?? '--group-col'} and --ignore`, where);
    if (options.features?.includes(group)) throw new DataError(`column "${group}" is in both ${options.groupFlag ?? '--group-col'} and --features: it places rows in folds, it is not a feature`, where);
  }
  let featureNames: string[];
  if (options.features !== undefined) {
    checkNames('--features', options.features);
    const both = options.features.find((n) => ignore.includes(n));
    if (both !== undefined) throw new DataError(`column "${both}" is in both --features and --ignore`, where);
    featureNames = [...options.features];
  } else {
    featureNames = names.filter((n) => n !== targetName && n !== group && !ignore.includes(n));
  }
  if (featureNames.length === 0) throw new DataError(`no feature columns left besides the target "${targetName}"`, where);
  const source = new Int32Array(featureNames.length + 1 + (group !== undefined ? 1 : 0));
  featureNames.forEach((n, k) => (source[k] = index.get(n)!));
  source[featureNames.length] = t;
  if (group !== undefined) source[featureNames.length + 1] = index.get(group)!;
  return { featureNames, targetName, ...(group !== undefined ? { groupName: group } : {}), source };
}

/** Column names for a message: at most 20, each cut to 40 characters, so a message stays one readable line. */
export function listNames(names: readonly string[]): string {
  const cut = (n: string) => (n.length > 40 ? `${n.slice(0, 40)}…` : n);
  const shown = names.slice(0, 20).map(cut).join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} in all)` : shown;
}
