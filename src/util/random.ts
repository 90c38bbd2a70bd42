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
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ Math.imul(a | 0, 0x27d4eb2f)) + 0x165667b1);
  h = mix32((h ^ Math.imul(b | 0, 0x85ebca77)) + 0xc2b2ae3d);
  h = mix32((h ^ Math.imul(c | 0, 0x9e3779b1)) + 0x27d4eb2f);
  return h;
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
