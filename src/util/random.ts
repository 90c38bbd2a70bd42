/**
 * Seeded, counter-based randomness. No Math.random anywhere: every random draw is a pure function of
 * (seed, key, key, ...) so a bootstrap count for (seed, tree, row) or a feature order for (seed, tree, node)
 * is the same whichever thread, partition or machine computes it. That is what makes results independent of
 * how many workers run a sweep (Spark seeds by partition index instead, and its results change with it).
 */

/** murmur3's 32-bit finaliser: a bijective avalanche mix of one uint32. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of a seed and up to three integer keys to a uint32. Keys are taken modulo 2^32. */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  return hashFinish(hashPrefix(seed, a), b, c);
}

/**
 * hash32 in two parts, for loops whose seed and first key are fixed: hashPrefix(seed, a) once, then
 * hashFinish(prefix, b, c) per draw (hash32(seed, a, b, c) bit for bit). The mixing runs on int32 intermediates:
 * every operation reads its inputs modulo 2^32, so the bits are the same, and a uint32 above 2^31 would be a boxed
 * double to V8 on every return (that made the synthetic-data loop three times slower).
 */
export function hashPrefix(seed: number, a: number): number {
  const h = mixInt(seed ^ 0x9e3779b9);
  return mixInt(((h ^ Math.imul(a | 0, 0x27d4eb2f)) + 0x165667b1) | 0);
}

/** The uint32 hash32(seed, a, b, c) from prefix = hashPrefix(seed, a). */
export function hashFinish(prefix: number, b: number, c = 0): number {
  const h = mixInt(((prefix ^ Math.imul(b | 0, 0x85ebca77)) + 0xc2b2ae3d) | 0);
  return mixInt(((h ^ Math.imul(c | 0, 0x9e3779b1)) + 0x27d4eb2f) | 0) >>> 0;
}

/** mix32 with an int32 result (the same bits). */
function mixInt(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** Uniform double in [0, 1) with 32 bits of resolution, keyed like hash32. */
export function uniform01(seed: number, a: number, b = 0, c = 0): number {
  return hash32(seed, a, b, c) / 4294967296;
}

/**
 * A small sequential generator (SplitMix32-style over a counter) for things that are naturally sequential,
 * such as shuffling the rows once to assign folds. Deterministic from its seed.
 */
export class SeededRandom {
  private counter = 0;
  constructor(private readonly seed: number) {}

  nextUint32(): number {
    return hash32(this.seed, this.counter++, 0x5eed);
  }

  /** Uniform double in [0, 1) with 53 bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }
}

/** Fisher–Yates permutation of 0..n-1 from a seed. */
export function permutation(n: number, seed: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = new SeededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
