/**
 * The search space: per parameter a list of choices (what a grid sweeps) or a range to draw from, in the spirit of
 * scikit-learn's ParameterSampler distributions and Optuna's Int/Float/CategoricalDistribution:
 *   --trees 10,20,50          choices (categorical)
 *   --trees 10..500           integer uniform (an integer parameter)
 *   --max-features 0.1..1     float uniform
 *   --reg-param 1e-4..10:log  log-uniform (an integer parameter draws log-uniform and rounds down)
 * In a grid file the same are `[10, 20]` and `{"min": 1e-4, "max": 10, "log": true}`. Both ends of a range pass
 * the parameter's own rule (ParamSpec), so a range can never draw a value the flag would refuse.
 */
import { UsageError } from '../../errors.js';
import { parseParamValue, type ParamSpec, type ParamValue } from '../../models/params.js';

export type Dimension =
  | { kind: 'choice'; values: ParamValue[] }
  | { kind: 'int'; low: number; high: number; log: boolean }
  | { kind: 'float'; low: number; high: number; log: boolean };

export type RangeDimension = Extract<Dimension, { kind: 'int' | 'float' }>;

/** Parameter name → dimension (a null-prototype record, as grid axes). */
export type SearchSpace = Record<string, Dimension>;

/** A range as the library takes it (and a grid file writes it). */
export interface RangeSpec {
  min: number | string;
  max: number | string;
  log?: boolean;
  /** For a UDF's own parameter (no rule says): int or float (default: int when both ends are whole numbers). */
  type?: 'int' | 'float';
}

export function newSpace(): SearchSpace {
  return Object.create(null) as SearchSpace;
}

export function isRangeSpec(v: unknown): v is RangeSpec {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'min' in v && 'max' in v;
}

/** "10..500" or "1e-4..10:log" (what a flag item looks like when it is a range), else undefined. */
export function parseRangeText(text: string): RangeSpec | undefined {
  const m = /^\s*([^.][\s\S]*?)\s*\.\.\s*([^:]+?)\s*(:\s*(log|uniform))?\s*$/.exec(text);
  if (!m) return undefined;
  return { min: m[1], max: m[2], log: m[4] === 'log' };
}

/**
 * A range checked against the parameter's rule: both ends valid values, low < high, log only above 0. Integer
 * parameters give integer ranges; maxFeatures gives a fraction range (both ends ≤ 1) or a count range.
 */
export function rangeDimension(spec: ParamSpec | undefined, range: RangeSpec, where: string): RangeDimension {
  const end = (v: unknown, which: string): number => {
    if (spec) {
      const parsed = parseParamValue(spec, v, where);
      if (typeof parsed !== 'number') throw new UsageError(`${where}: a range of ${spec.name} needs numbers at both ends, got ${JSON.stringify(parsed)} as its ${which}`);
      return parsed;
    }
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(n) || String(v).trim() === '') throw new UsageError(`${where}: the ${which} of a range must be a number, got ${JSON.stringify(v)}`);
    return n;
  };
  if (spec && (spec.type === 'bool' || spec.type === 'choice')) throw new UsageError(`${where}: ${spec.name} takes a list of values, not a range (${spec.type === 'bool' ? 'true,false' : spec.choices!.join(',')})`);
  const low = end(range.min, 'min');
  const high = end(range.max, 'max');
  const log = range.log === true;
  if (!(low < high)) throw new UsageError(`${where}: a range needs min < max, got ${low}..${high}${low === high ? ` (for one value write ${low})` : ''}`);
  if (log && !(low > 0)) throw new UsageError(`${where}: a log range needs min > 0, got ${low}..${high}:log`);
  // A UDF's own parameter (no spec): integer when both ends are written as integers, unless the range says its type.
  const written = `${range.min}${range.max}`;
  const integer = spec
    ? spec.type === 'int' || (spec.type === 'maxFeatures' && high > 1)
    : range.type !== undefined ? range.type === 'int' : Number.isInteger(low) && Number.isInteger(high) && !/[.eE]/.test(written);
  if (integer && !spec && !(Number.isInteger(low) && Number.isInteger(high))) throw new UsageError(`${where}: an integer range needs whole ends, got ${low}..${high}`);
  if (spec?.type === 'maxFeatures' && high > 1 && !(Number.isInteger(low) && low >= 1)) throw new UsageError(`${where}: maxFeatures ranges are fractions (0.1..1) or whole counts (2..8), got ${low}..${high}`);
  return integer ? { kind: 'int', low, high, log } : { kind: 'float', low, high, log };
}

/** The space's lists as grid axes; a range is refused with a hint. */
export function gridAxesOf(space: SearchSpace): Record<string, ParamValue[]> {
  const axes = Object.create(null) as Record<string, ParamValue[]>;
  for (const [name, d] of Object.entries(space)) {
    if (d.kind !== 'choice') throw new UsageError(`${name}: a range (${describeDimension(d)}) cannot be swept as a grid`, 'add --search random (or tpe, halving, hyperband) and --trials N, or give a list of values');
    axes[name] = d.values;
  }
  return axes;
}

export function describeDimension(d: Dimension): string {
  if (d.kind === 'choice') return d.values.map(String).join(',');
  return `${d.low}..${d.high}${d.log ? ':log' : ''}`;
}

/** The space as plain JSON (reports, the search identity). */
export function spaceJson(space: SearchSpace): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(space).sort()) {
    const d = space[name];
    out[name] = d.kind === 'choice' ? d.values : { type: d.kind, min: d.low, max: d.high, log: d.log };
  }
  return out;
}
