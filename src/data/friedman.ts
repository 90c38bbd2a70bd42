/**
 * Friedman #1 synthetic regression (Friedman 1991; scikit-learn's make_friedman1):
 *   x ~ U(0,1)^F,  y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + noise · N(0,1),
 * features beyond the fifth are pure noise. Every value is a pure function of its coordinates —
 * x[row, j] = uniform01(seed, row, j), the Gaussian from two more keyed uniforms by Box–Muller — so any range of
 * rows can be generated alone (in chunks or in parallel) with identical bytes, and a column subset needs no other
 * column to be stored.
 */
import { UsageError } from '../errors.js';
import { allocateDataset, type Dataset } from './dataset.js';
import { DEFAULT_TARGET } from './options.js';
import { hashFinish, hashPrefix, uniform01 } from '../util/random.js';

export interface FriedmanSpec {
  rows: number;
  noise: number;
  features: number;
  seed: number;
}

export const FRIEDMAN_DEFAULTS = { rows: 10_000, noise: 1, features: 10 } as const;
const MIN_FEATURES = 5;
const MAX_FEATURES = 10_000;
/** Keep one dataset under 2^31 bytes, the largest typed array every supported Node allocates. */
const MAX_BYTES = 2 ** 31 - 1;
/** Third hash key of the two noise uniforms, apart from the feature draws (which use key 0). */
const NOISE_KEY_1 = 1;
const NOISE_KEY_2 = 2;

/** Parse "friedman1" or "friedman1:rows=N,noise=S,features=F,seed=K" (all keys optional). */
export function parseFriedmanSpec(spec: string, defaultSeed = 0): FriedmanSpec {
  const colon = spec.indexOf(':');
  const head = colon === -1 ? spec : spec.slice(0, colon);
  if (head !== 'friedman1') throw new UsageError(`unknown synthetic dataset "${head}" (known: friedman1)`);
  const out: FriedmanSpec = { ...FRIEDMAN_DEFAULTS, seed: defaultSeed };
  const seen = new Set<string>();
  const body = colon === -1 ? '' : spec.slice(colon + 1);
  for (const part of body === '' ? [] : body.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim();
    const text = eq === -1 ? '' : part.slice(eq + 1).trim();
    if (!(key === 'rows' || key === 'noise' || key === 'features' || key === 'seed')) {
      throw new UsageError(`friedman1: unknown key "${key}" (known: rows, noise, features, seed)`, 'example: friedman1:rows=100000,noise=1,features=10,seed=7');
    }
    if (seen.has(key)) throw new UsageError(`friedman1: key "${key}" given twice`);
    seen.add(key);
    out[key] = parseValue(key, text);
  }
  const bytes = 8 * out.rows * (out.features + 1);
  if (bytes > MAX_BYTES) throw new UsageError(`friedman1: rows × (features + 1) × 8 bytes = ${bytes} is over 2 GiB`);
  return out;
}

function parseValue(key: keyof FriedmanSpec, text: string): number {
  const v = text === '' ? NaN : Number(text);
  const bad = (rule: string) => new UsageError(`friedman1: ${key} must be ${rule}, got "${text}"`);
  switch (key) {
    case 'rows':
      if (!Number.isInteger(v) || v < 2) throw bad('an integer ≥ 2');
      return v;
    case 'features':
      if (!Number.isInteger(v) || v < MIN_FEATURES || v > MAX_FEATURES) throw bad(`an integer from ${MIN_FEATURES} to ${MAX_FEATURES}`);
      return v;
    case 'noise':
      if (!Number.isFinite(v) || v < 0) throw bad('a number ≥ 0');
      return v;
    case 'seed':
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw bad('an integer from 0 to 4294967295');
      return v;
  }
}

export function friedmanFeatureNames(features: number): string[] {
  return Array.from({ length: features }, (_, j) => `x${j + 1}`);
}

/** Allocate and fill the whole dataset, features `keep` only (0-based, default all), target "target". */
export function makeFriedman1(spec: FriedmanSpec, name: string, keep?: readonly number[]): Dataset {
  const all = friedmanFeatureNames(spec.features);
  const cols = keep ?? all.map((_, j) => j);
  const data = allocateDataset(name, cols.map((j) => all[j]), DEFAULT_TARGET, spec.rows);
  fillFriedman1(data, spec, cols, 0, spec.rows);
  return data;
}

/**
 * Fill rows [start, end) of a dataset allocated for this spec; any split of the rows gives the same bytes.
 * Row-major, with uniform01's hash split (hashPrefix per row, hashFinish per value) so the seed and row steps are
 * mixed once per row rather than once per value (equal to uniform01(seed, row, j) bit for bit; the tests check it).
 */
export function fillFriedman1(data: Dataset, spec: FriedmanSpec, cols: readonly number[], start: number, end: number): void {
  const { seed, noise } = spec;
  const n = data.rows;
  const x = data.x;
  const y = data.y;
  const m = cols.length;
  const col = Int32Array.from(cols);
  const u = new Float64Array(Math.max(MIN_FEATURES, ...cols) + 1);
  for (let i = start; i < end; i++) {
    const hRow = hashPrefix(seed, i);
    for (let j = 0; j < u.length; j++) u[j] = hashFinish(hRow, j) / 4294967296;
    for (let k = 0; k < m; k++) x[k * n + i] = u[col[k]];
    const x3 = u[2] - 0.5;
    let v = 10 * Math.sin(Math.PI * u[0] * u[1]) + 20 * x3 * x3 + 10 * u[3] + 5 * u[4];
    if (noise !== 0) v += noise * gaussian(seed, i);
    y[i] = v;
  }
}

/** Standard normal for a row by Box–Muller; 1 − u keeps the log's argument in (0, 1]. */
export function gaussian(seed: number, row: number): number {
  const u1 = uniform01(seed, row, 0, NOISE_KEY_1);
  const u2 = uniform01(seed, row, 0, NOISE_KEY_2);
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
