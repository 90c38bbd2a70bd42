import { describe, expect, it } from 'vitest';
import { hash32, hashFinish, hashPrefix, mix32, uniform01 } from '../../dist/util/random.js';

/** hash32 as first written (uint32 intermediates): every draw of every result so far came from these operations. */
function reference(seed: number, a: number, b = 0, c = 0): number {
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ Math.imul(a | 0, 0x27d4eb2f)) + 0x165667b1);
  h = mix32((h ^ Math.imul(b | 0, 0x85ebca77)) + 0xc2b2ae3d);
  h = mix32((h ^ Math.imul(c | 0, 0x9e3779b1)) + 0x27d4eb2f);
  return h;
}

const KEYS = [0, 1, 2, 9, 0x7fffffff, 0x80000000, 0xffffffff, 0x2545f491, 123456789, -1, 2 ** 32 + 5];

describe('hash32, hashPrefix / hashFinish', () => {
  it('hash32 is the reference hash, bit for bit', () => {
    for (const seed of KEYS) for (const a of KEYS) for (const b of [0, 1, 63, 0xffffffff]) for (const c of [0, 7, 0x73756273]) expect(hash32(seed, a, b, c)).toBe(reference(seed, a, b, c));
  });

  it('hashFinish(hashPrefix(seed, a), b, c) is hash32(seed, a, b, c)', () => {
    for (const seed of KEYS) for (const a of KEYS) for (const b of [0, 1, 5, 63, 1000, 0xffffffff]) for (const c of [0, 1, 0x68657373]) {
      expect(hashFinish(hashPrefix(seed, a), b, c)).toBe(hash32(seed, a, b, c));
    }
  });

  it('keeps the values results were made with', () => {
    expect([hash32(0, 0), hash32(42, 7, 3, 1), hash32(0xffffffff, 0x80000000, 123456789, 0x73756273)]).toEqual([4243807925, 3425066647, 4034221074]);
    expect(uniform01(42, 7, 3, 1)).toBe(3425066647 / 2 ** 32);
  });
});
