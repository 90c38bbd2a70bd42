/**
 * Model parameters are plain data declared once with their constraints (scikit-learn's
 * `_parameter_constraints`). The grid, the CLI and the JSON grid file all validate through these specs, and a
 * bad value fails naming the parameter, the rule and the value.
 */
import { UsageError } from '../errors.js';

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export interface ParamSpec {
  /** Spark MLlib name, used in grids, JSON output and saved models. */
  name: string;
  /** CLI flag (long form, without the leading dashes). */
  flag: string;
  describe: string;
  /** 'int' and 'number' are numeric with optional bounds; 'choice' takes one of `choices`; 'maxFeatures' is special. */
  type: 'int' | 'number' | 'bool' | 'choice' | 'maxFeatures';
  default: ParamValue;
  min?: number;
  /** When true the minimum itself is not allowed. */
  minExclusive?: boolean;
  max?: number;
  choices?: readonly string[];
  /** A word accepted as meaning "no limit" (e.g. maxDepth: "none"); the parsed value is the word itself. */
  unlimited?: string;
  /** A parameter of one task only (a forest's criterion: classification); absent: every task the model fits. */
  task?: 'regression' | 'classification';
  /**
   * A parameter of data with categories or missing values only (the linear models' impute): a default of such data
   * alone, so a sweep of clean data keeps its configs (and its checkpoints) as they were.
   */
  designOnly?: boolean;
}

export type MaxFeatures = 'all' | 'sqrt' | 'log2' | 'onethird' | number;

const MAX_FEATURE_WORDS = ['all', 'sqrt', 'log2', 'onethird', 'auto'] as const;

/**
 * Parse and validate one value (from a flag list item or a JSON grid entry).
 * `where` names the source for the message, e.g. "--trees" or "grid.json: numTrees".
 */
export function parseParamValue(spec: ParamSpec, raw: unknown, where: string): ParamValue {
  // Numbers read from a flag are shown as typed (got 2.5); other text is quoted so blanks and JSON strings show.
  const shown =
    raw === null || typeof raw === 'object' ? (Array.isArray(raw) ? 'an array' : raw === null ? 'null' : 'an object') : typeof raw === 'string' && toNumber(raw) === undefined ? JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw) : String(raw);
  const fail = (rule: string): never => {
    throw new UsageError(`${where}: ${spec.name} ${rule}, got ${shown}`);
  };
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return fail('must be a number, a string or a boolean');
  if (spec.unlimited !== undefined && typeof raw === 'string' && raw.trim().toLowerCase() === spec.unlimited) return spec.unlimited;
  switch (spec.type) {
    case 'int':
    case 'number': {
      const v = toNumber(raw);
      if (v === undefined) return fail(`must be a number`);
      if (spec.type === 'int' && !Number.isInteger(v)) return fail(`must be an integer`);
      if (spec.min !== undefined && (spec.minExclusive ? v <= spec.min : v < spec.min)) {
        return fail(`must be ${spec.minExclusive ? '>' : '>='} ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`);
      }
      if (spec.max !== undefined && v > spec.max) return fail(`must be <= ${spec.max}`);
      return v;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (s === 'true' || s === '1' || s === 'yes') return true;
      if (s === 'false' || s === '0' || s === 'no') return false;
      return fail('must be true or false');
    }
    case 'choice': {
      const s = String(raw).trim();
      if (!spec.choices!.includes(s)) return fail(`must be one of ${spec.choices!.join(', ')}`);
      return s;
    }
    case 'maxFeatures': {
      const s = String(raw).trim().toLowerCase();
      if ((MAX_FEATURE_WORDS as readonly string[]).includes(s)) return s === 'auto' ? 'all' : s;
      const v = toNumber(raw);
      if (v === undefined || v <= 0) return fail(`must be all, sqrt, log2, onethird, a fraction in (0,1] or a positive integer count`);
      if (v > 1 && !Number.isInteger(v)) return fail(`must be a fraction in (0,1] or a whole number of features`);
      return v;
    }
  }
}

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Number of features to try at each node, as scikit-learn resolves max_features (at least 1). */
export function resolveMaxFeatures(mf: MaxFeatures, nFeatures: number): number {
  let k: number;
  if (mf === 'all') k = nFeatures;
  else if (mf === 'sqrt') k = Math.floor(Math.sqrt(nFeatures));
  else if (mf === 'log2') k = Math.floor(Math.log2(nFeatures));
  else if (mf === 'onethird') k = Math.ceil(nFeatures / 3); // Spark: ceil(n/3) for regression
  else if (mf <= 1) k = Math.floor(mf * nFeatures);
  else k = mf;
  return Math.max(1, Math.min(nFeatures, k));
}
