/**
 * What loadData takes and gives back, shared by the CSV reader and the built-in generators.
 */
import type { Dataset } from './dataset.js';

/** A missing feature value: kept as missing (NaN; the models handle it), an error, or its row dropped. */
export type MissingPolicy = 'keep' | 'error' | 'drop';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['keep', 'error', 'drop'];

export interface LoadOptions {
  /**
   * Target column name. Default "target" (the built-in datasets use it too). null: features only, for
   * prediction input (a target column, if any, is not read and y is all zeros).
   */
  target?: string | null;
  /** Use exactly these feature columns, in this order. Default: every column but the target and --ignore. */
  features?: readonly string[];
  /** Columns to leave out; they are not parsed at all (so they may hold text). */
  ignore?: readonly string[];
  /**
   * A missing feature cell (empty, NA, NaN, null, none, n/a, or a --na-values word): kept as NaN (default), an
   * error, or its row dropped (counted in `droppedRows`, with a warning). A missing target always drops its row.
   */
  missing?: MissingPolicy;
  /** More words that mean a missing value (case-sensitive, trimmed), beside the built-in ones. */
  naValues?: readonly string[];
  /** Columns to read as categorical whatever they hold (numbers become labels). */
  categorical?: readonly string[];
  /** Columns that must be numeric: a cell that is neither a number nor missing is an error. */
  numeric?: readonly string[];
  /** Seed of synthetic data when its spec gives none (the sweep seed). Default 0. */
  seed?: number;
  /** A CSV's field delimiter (one character). Default: a tab for .tsv files or a header with tabs only, else a comma. */
  delimiter?: string;
  /** The input's format; default: from its first bytes and its name (formats.ts). */
  format?: InputFormat;
  /** A column read as labels beside the features to place rows in folds (Dataset.groups): --fold-col, --group-col. */
  groupColumn?: string;
  /** The flag that named groupColumn, for messages (default --group-col). */
  groupFlag?: string;
}

export type InputFormat = 'csv' | 'jsonl' | 'arrow' | 'parquet';
export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'jsonl', 'arrow', 'parquet'];

export interface LoadedData {
  data: Dataset;
  /** Rows dropped for empty cells under missing: 'drop'. */
  droppedRows: number;
  /** Things the user should see on stderr but that do not stop the run. */
  warnings: string[];
}

export const DEFAULT_TARGET = 'target';
