/**
 * What loadData takes and gives back, shared by the CSV reader and the built-in generators.
 */
import type { Dataset } from './dataset.js';

export type MissingPolicy = 'error' | 'drop';

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
  /** An empty cell is an error (default), or drops its row (counted in `droppedRows`, with a warning). */
  missing?: MissingPolicy;
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
