/**
 * Keyed, counter-based randomness: every draw is a pure function of (seed, trial, parameter, stream, index), so
 * trial k of a random search is the same whatever the number of trials, the strategy, the worker count or the
 * order results come back in (as counter-based generators such as Philox or Threefry do, here with the murmur3
 * finalizer of util/random.ts as the mixing function, two hashes for 53 bits). Then the draws of a parameter from its dimension.
 */
import type { ParamValue } from '../../models/params.js';
import type { Dimension } from './space.js';
import { mix32 } from '../../util/random.js';

/** FNV-1a of a string (parameter and stream names as 32-bit keys). */
export function nameKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashInts(salt: number, parts: readonly number[]): number {
  let h = mix32(salt);
  for (const p of parts) h = mix32((h ^ mix32((p >>> 0) + 0x9e3779b9)) >>> 0);
  return h;
}

/** A uniform double in [0, 1) (53 random bits) keyed by the integers given. */
export function keyedUniform(...parts: number[]): number {
  const hi = hashInts(0x2545f491, parts) >>> 5; // 27 bits
  const lo = hashInts(0x6a09e667, parts) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** Streams of draws, so different uses of one (seed, trial, parameter) never share a number. */
export const STREAM = { random: 1, tpeComponent: 2, tpeValue: 3, rows: 4 } as const;

/** A value drawn from a dimension with the uniform u ∈ [0, 1): the inverse CDF of its distribution. */
export function fromUniform(d: Dimension, u: number): ParamValue {
  if (d.kind === 'choice') return d.values[Math.min(d.values.length - 1, Math.floor(u * d.values.length))];
  if (d.kind === 'float') {
    const x = d.log ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))) : d.low + u * (d.high - d.low);
    return tidy(Math.min(d.high, Math.max(d.low, x)));
  }
  // Integers: uniform over low…high, or log-uniform over [low, high + 1) rounded down.
  const x = d.log ? Math.floor(Math.exp(Math.log(d.low) + u * (Math.log(d.high + 1) - Math.log(d.low)))) : d.low + Math.floor(u * (d.high - d.low + 1));
  return Math.min(d.high, Math.max(d.low, x));
}

/** Float draws keep 6 significant digits: readable configs, and still 10⁶ distinct values over any range. */
export function tidy(x: number): number {
  return Number(x.toPrecision(6));
}

/** Trial `trial`'s value of parameter `name` in a random search. */
export function randomValue(seed: number, trial: number, name: string, d: Dimension): ParamValue {
  return fromUniform(d, keyedUniform(seed, trial, nameKey(name), STREAM.random));
}

/** The rows in a keyed random order (by (seed, row)): a halving search's rungs take its first n. */
export function keyedRowOrder(rows: number, seed: number): Uint32Array {
  const keys = new Float64Array(rows);
  for (let r = 0; r < rows; r++) keys[r] = keyedUniform(seed, r, STREAM.rows);
  return Uint32Array.from({ length: rows }, (_, r) => r).sort((a, b) => keys[a] - keys[b] || a - b);
}

/**
 * The first n rows of the keyed order, ascending: nested as n grows, so a halving rung's rows contain the previous
 * rung's. `order`: keyedRowOrder's, when it is already at hand.
 */
export function keyedRowSample(rows: number, n: number, seed: number, order = keyedRowOrder(rows, seed)): Uint32Array {
  return order.subarray(0, Math.min(rows, n)).slice().sort();
}
