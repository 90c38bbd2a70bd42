/**
 * Making candidates, apart from evaluating them (scikit-learn's ParameterGrid): axes of values per parameter,
 * expanded to their cartesian product in sorted-key order, last key varying fastest. Axes come from flags
 * (comma lists) or a JSON grid file; every value is validated through the model's ParamSpec.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError, DataError } from '../errors.js';
import { firstJsonErrorOffset, lineColumn } from '../util/json-location.js';
import { parseParamValue, type ParamSpec, type Params, type ParamValue } from '../models/params.js';
import { isRangeSpec, parseRangeText, rangeDimension, type RangeSpec } from './search/space.js';

export type GridAxes = Record<string, ParamValue[]>;

/** Axes as given (flags, a grid file): a list of values or a range (only a search can draw from a range). */
export type SpaceAxes = Record<string, ParamValue[] | RangeSpec>;

/**
 * The most configs a grid may expand to (checked on the axis sizes, before anything is expanded): 100 000 configs
 * × 5 folds is already half a million tasks; past that a grid is almost always a typo (--trees 1..1000000).
 */
export const MAX_CONFIGS = 100_000;

/** Axes as a null-prototype record: parameter names such as "__proto__" or "toString" are plain own keys. */
export function newAxes(): GridAxes {
  return Object.create(null) as GridAxes;
}

/** How many configs the axes expand to (stops counting past MAX_CONFIGS). */
export function gridSize(axes: GridAxes): number {
  let n = 1;
  for (const key of Object.keys(axes)) {
    n *= axes[key].length;
    if (n > MAX_CONFIGS) return n;
  }
  return n;
}

/** Split a flag's comma list, rejecting empty items ("--trees 10,,20"). */
export function splitList(raw: string, flag: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) {
    throw new UsageError(`--${flag}: empty value in list ${JSON.stringify(raw)}`);
  }
  return items;
}

/**
 * Axes from CLI flags: `flagValues` maps a flag name (e.g. "trees") to its raw comma list or range ("10..500",
 * "1e-4..10:log"; checked against the parameter's rule here, so a bad range fails naming the flag).
 */
export function axesFromFlags(specs: readonly ParamSpec[], flagValues: Record<string, string | undefined>): SpaceAxes {
  const axes = newAxes() as SpaceAxes;
  for (const spec of specs) {
    const raw = flagValues[spec.flag];
    if (raw === undefined) continue;
    const range = rangeOfFlag(raw, `--${spec.flag}`);
    if (range) {
      rangeDimension(spec, range, `--${spec.flag}`);
      axes[spec.name] = range;
    } else axes[spec.name] = dedupe(splitList(raw, spec.flag).map((item) => parseParamValue(spec, item, `--${spec.flag}`)));
  }
  return axes;
}

/** A flag's range, or undefined for a list; a range mixed into a list is refused. */
function rangeOfFlag(raw: string, flag: string): RangeSpec | undefined {
  if (!raw.includes('..')) return undefined;
  const range = parseRangeText(raw);
  if (!range || raw.includes(',')) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is neither a list (a,b,c) nor a range (min..max or min..max:log)`);
  return range;
}

/**
 * Axes from a JSON grid file: `{"regParam": [0, 0.1], "elasticNetParam": [0, 1]}`. Keys may be Spark names
 * or flag names; a scalar means a one-value axis. Any problem names the file (and line:column for bad JSON).
 */
export function axesFromGridFile(file: string, specs: readonly ParamSpec[], allowUnknown = false): SpaceAxes {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new DataError('is a directory, expected a JSON grid file', { file });
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof DataError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'grid file not found' : `cannot read grid file (${code ?? String(err)})`, { file });
  }
  // A UTF-8 byte-order mark (Windows editors write one) is not part of the JSON; CSVs accept it too.
  return axesFromJsonText(text.startsWith('\uFEFF') ? text.slice(1) : text, file, specs, allowUnknown);
}

export function axesFromJsonText(text: string, file: string, specs: readonly ParamSpec[], allowUnknown = false): SpaceAxes {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const offset = firstJsonErrorOffset(text);
    const { line, column } = lineColumn(text, Math.max(0, offset));
    const near = offset >= 0 && offset < text.length ? ` near ${JSON.stringify(text.slice(offset, offset + 12))}` : ' (unexpected end)';
    throw new DataError(`invalid JSON${near}`, { file, line, column });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new DataError('a grid file must be a JSON object of parameter name → list of values', { file });
  }
  const axes = newAxes() as SpaceAxes;
  const given = new Map<string, string>();
  const entries = Object.entries(json as Record<string, unknown>);
  if (entries.length === 0) throw new DataError('the grid object is empty: give at least one parameter', { file });
  for (const [key, raw] of entries) {
    const spec = specs.find((s) => s.name === key || s.flag === key);
    const shaped = objectAxis(raw, key, file);
    // The parameter's name, once known and not given twice (its spelling as a Spark name or a flag).
    const nameOf = (): string => {
      if (!spec && !allowUnknown) throw new DataError(`unknown parameter "${key}" (known: ${specs.map((s) => s.name).join(', ')})`, { file });
      const name = spec?.name ?? key;
      const before = given.get(name);
      if (before !== undefined) throw new DataError(`"${before}" and "${key}" both set ${name}: give it once`, { file });
      given.set(name, key);
      return name;
    };
    if (shaped !== undefined && !Array.isArray(shaped)) {
      const name = nameOf();
      try {
        rangeDimension(spec, shaped, `${file}: ${key}`);
      } catch (err) {
        throw new DataError(err instanceof Error ? err.message.replace(`${file}: `, '') : String(err), { file });
      }
      axes[name] = shaped;
      continue;
    }
    const value = shaped ?? raw;
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) throw new DataError(`"${key}" has an empty list of values`, { file });
    const nested = values.findIndex((v) => v === null || typeof v === 'object');
    if (nested >= 0) throw new DataError(`"${key}": values must be numbers, strings or booleans, got ${values[nested] === null ? 'null' : Array.isArray(values[nested]) ? 'a nested array' : 'an object'}`, { file });
    const name = nameOf();
    axes[name] = dedupe(spec ? values.map((v) => parseParamValue(spec, v, file)) : values.map((v) => genericValue(v, `${file}: ${key}`)));
  }
  return axes;
}

/**
 * A grid file's object value: a range `{"min": 1, "max": 10, "log": true}` (W&B's `distribution: uniform |
 * log_uniform | int_uniform` also), or W&B's `{"values": [...]}` (a list); undefined when `raw` is not an object.
 */
function objectAxis(raw: unknown, key: string, file: string): RangeSpec | unknown[] | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'values' && Array.isArray(o.values)) return o.values;
  if (!isRangeSpec(o)) throw new DataError(`"${key}": expected a list of values, {"values": [...]}, or a range {"min": …, "max": …, "log": true}`, { file });
  const unknown = keys.filter((k) => !['min', 'max', 'log', 'type', 'distribution'].includes(k));
  if (unknown.length > 0) throw new DataError(`"${key}": unknown range field ${JSON.stringify(unknown[0])} (a range has min, max, log, type or distribution)`, { file });
  const bad = (field: string, rule: string): never => {
    throw new DataError(`"${key}": ${field} must be ${rule}, got ${JSON.stringify(o[field])}`, { file });
  };
  for (const end of ['min', 'max'] as const) if (typeof o[end] !== 'number' && typeof o[end] !== 'string') bad(end, 'a number');
  if (o.log !== undefined && typeof o.log !== 'boolean') bad('log', 'true or false');
  if (o.type !== undefined && o.type !== 'int' && o.type !== 'float') bad('type', '"int" or "float"');
  // W&B's names. min and max are always the values themselves: log_uniform reads as W&B's log_uniform_values (W&B's
  // own log_uniform takes exponents; such a range, min ≤ 0, is refused by the log rule rather than misread).
  const distributions: Record<string, { log: boolean; type?: 'int' }> = { uniform: { log: false }, log_uniform: { log: true }, log_uniform_values: { log: true }, int_uniform: { log: false, type: 'int' } };
  if (o.distribution !== undefined && !(typeof o.distribution === 'string' && Object.hasOwn(distributions, o.distribution))) bad('distribution', `one of ${Object.keys(distributions).join(', ')}`);
  const dist = o.distribution !== undefined ? distributions[o.distribution as string] : undefined;
  const type = (o.type as 'int' | 'float' | undefined) ?? dist?.type;
  return { min: o.min as number, max: o.max as number, log: (o.log as boolean | undefined) ?? dist?.log ?? false, ...(type ? { type } : {}) };
}

/**
 * A parameter's value typed by its look, when no spec describes it (a user UDF's --param or grid key), the same
 * for flags and grid files: "true"/"false" → booleans, decimal numbers → numbers, anything else stays text.
 */
export function looseValue(text: string): ParamValue {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  const n = Number(t);
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) && Number.isFinite(n) ? n : t;
}

/** A value for a parameter no spec describes (user UDFs), from JSON or a flag: see looseValue. */
export function genericValue(v: unknown, where: string): ParamValue {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v.trim() === '') throw new UsageError(`${where}: empty value`);
    return looseValue(v);
  }
  throw new UsageError(`${where}: values must be numbers, strings or booleans, got ${JSON.stringify(v)}`);
}

/** The cartesian product of the axes over the defaults, keys in sorted order, the last key varying fastest. */
export function expandGrid(defaults: Params, axes: GridAxes): Params[] {
  const size = gridSize(axes);
  if (size > MAX_CONFIGS) {
    const counts = Object.keys(axes).map((k) => `${k} ${axes[k].length}`).join(' × ');
    throw new UsageError(`the grid has ${size > 1e15 ? 'over 10^15' : size.toLocaleString('en-US')} configs (${counts}), more than the cap of ${MAX_CONFIGS.toLocaleString('en-US')}`, 'sweep fewer values per parameter');
  }
  const keys = Object.keys(axes).sort();
  let out: Params[] = [{ ...defaults }];
  for (const key of keys) {
    const next: Params[] = [];
    for (const base of out) for (const v of axes[key]) next.push({ ...base, [key]: v });
    out = next;
  }
  return out;
}

/** Axes merged left to right: a later source replaces an earlier one's axis for the same parameter. */
export function mergeAxes(...sources: SpaceAxes[]): SpaceAxes {
  const out = newAxes() as SpaceAxes;
  for (const source of sources) for (const key of Object.keys(source)) out[key] = source[key];
  return out;
}

function dedupe(values: ParamValue[]): ParamValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Grid axes of a user UDF from repeated `--param name=v1,v2` flags; values typed by looseValue. A name given twice
 * is an error (list all its values once).
 */
export function axesFromParamFlags(flags: readonly string[]): SpaceAxes {
  const axes = newAxes() as SpaceAxes;
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq < 0 ? '' : flag.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new UsageError(`--param ${JSON.stringify(flag)}: expected name=v1,v2,... with a name like k or maxDepth`);
    }
    if (Object.hasOwn(axes, name)) throw new UsageError(`--param ${name} is given twice; list all its values once: --param ${name}=a,b,c`);
    const range = rangeOfFlag(flag.slice(eq + 1), `--param ${name}`);
    if (range) {
      rangeDimension(undefined, range, `--param ${name}`);
      axes[name] = range;
      continue;
    }
    const items = flag.slice(eq + 1).split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new UsageError(`--param ${name}: empty value in ${JSON.stringify(flag.slice(eq + 1))}`);
    axes[name] = items.map(looseValue);
  }
  return axes;
}
