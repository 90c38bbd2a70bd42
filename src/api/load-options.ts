/**
 * What a sweep's options ask of the loader: the data flags (--target, --features, --ignore, --missing, --na-values,
 * --categorical, --numeric, --delimiter, --format-in), the column the folds read (--fold-col, --group-col) and the
 * seed of synthetic data. `sweep run` and `sweep run --describe` both load through it, so they read the same table.
 */
import { evaluationColumn, type Evaluation } from '../data/folds.js';
import type { LoadOptions } from '../data/options.js';

/** The sweep's seed when none is given; it also seeds synthetic data (friedman1) whose spec names none. */
export const DEFAULT_SEED = 42;

export function loadOptionsOf(options: LoadOptions & { evaluation?: Evaluation }, seed: number): LoadOptions {
  const column = options.evaluation && evaluationColumn(options.evaluation);
  return {
    target: options.target, features: options.features, ignore: options.ignore, missing: options.missing, seed,
    ...(options.naValues !== undefined ? { naValues: options.naValues } : {}),
    ...(options.categorical !== undefined ? { categorical: options.categorical } : {}),
    ...(options.numeric !== undefined ? { numeric: options.numeric } : {}),
    ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
    ...(column !== undefined ? { groupColumn: column, groupFlag: options.evaluation!.kind === 'fold-column' ? '--fold-col' : '--group-col' } : {}),
  };
}
