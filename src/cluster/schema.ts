/**
 * A small validator for job payloads: each check takes an unknown value and the path it sits at ("job.params"),
 * and returns it typed or throws a JobSchemaError that names that path, the rule and what was found. Objects
 * refuse fields they do not declare, so a payload can never smuggle anything a worker would act on.
 */
import { decodeTyped, type TypedKind } from './codec.js';

export class JobSchemaError extends Error {
  readonly code = 'E_JOB_SCHEMA';
  constructor(message: string) {
    super(message);
    this.name = 'JobSchemaError';
  }
}

export type Check<T> = (v: unknown, path: string) => T;

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function fail(path: string, rule: string, v: unknown): never {
  throw new JobSchemaError(`${path}: expected ${rule}, got ${show(v)}`);
}

export const int =
  (min: number, max: number): Check<number> =>
  (v, path) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fail(path, `an integer from ${min} to ${max}`, v);

export const finite: Check<number> = (v, path) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a finite number', v));

export const bool: Check<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, 'true or false', v));

export const text =
  (pattern: RegExp, rule: string): Check<string> =>
  (v, path) =>
    typeof v === 'string' && pattern.test(v) ? v : fail(path, rule, v);

export const literal =
  <T extends string | number>(...values: T[]): Check<T> =>
  (v, path) =>
    (values as unknown[]).includes(v) ? (v as T) : fail(path, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);

export const array =
  <T>(item: Check<T>, maxLength: number): Check<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) return fail(path, 'an array', v);
    if (v.length > maxLength) return fail(path, `at most ${maxLength} items`, v);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };

type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** An object with exactly these fields (those in `optional` may be absent); unknown fields are refused. */
export function object<S extends Shape, O extends Shape = Record<never, never>>(required: S, optional?: O): Check<Out<S> & Partial<Out<O>>> {
  return (v, path) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(path, 'an object', v);
    const rec = v as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      if (!Object.hasOwn(required, key) && !(optional && Object.hasOwn(optional, key))) throw new JobSchemaError(`${path}.${key}: unknown field`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(required)) out[key] = check(rec[key], `${path}.${key}`);
    for (const [key, check] of Object.entries(optional ?? {})) if (rec[key] !== undefined) out[key] = check(rec[key], `${path}.${key}`);
    return out as Out<S> & Partial<Out<O>>;
  };
}

/** A map from names matching `key` to values passing `value`, with at most `maxKeys` entries. */
export function record<T>(key: RegExp, value: Check<T>, maxKeys: number): Check<Record<string, T>> {
  return (v, path) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(path, 'an object', v);
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length > maxKeys) return fail(path, `at most ${maxKeys} fields`, v);
    const out = Object.create(null) as Record<string, T>;
    for (const [k, x] of entries) {
      if (!key.test(k)) throw new JobSchemaError(`${path}: field name ${show(k)} is not allowed`);
      out[k] = value(x, `${path}.${k}`);
    }
    return out;
  };
}

export const oneOf =
  <T>(rule: string, ...checks: Check<T>[]): Check<T> =>
  (v, path) => {
    for (const c of checks) {
      try {
        return c(v, path);
      } catch (err) {
        if (!(err instanceof JobSchemaError)) throw err;
      }
    }
    return fail(path, rule, v);
  };

/** An encoded typed array of the given kind with at most maxLength elements. */
export function typed<K extends TypedKind>(kind: K, maxLength: number): Check<InstanceType<(typeof globalThis)[K]>> {
  return (v, path) => {
    let arr: ReturnType<typeof decodeTyped>;
    try {
      arr = decodeTyped(v, path);
    } catch (err) {
      throw new JobSchemaError(err instanceof Error ? err.message : String(err));
    }
    if (arr.constructor.name !== kind) return fail(path, `an encoded ${kind}`, `${arr.constructor.name}`);
    if (arr.length > maxLength) return fail(path, `at most ${maxLength} elements`, `${arr.length} elements`);
    return arr as InstanceType<(typeof globalThis)[K]>;
  };
}
