import { describe, expect, it } from 'vitest';
import { firstJsonErrorOffset, lineColumn } from '../../dist/util/json-location.js';

describe('firstJsonErrorOffset', () => {
  it.each([
    ['{"a": [1, 2]}', -1],
    ['{"a": [1,, 2]}', 9],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6],
    ['[1, 2', 5],
    ['{"a": 1} x', 9],
    ['', 0],
  ])('%j → %i', (text, offset) => {
    expect(firstJsonErrorOffset(text)).toBe(offset);
  });
  it('agrees with JSON.parse on valid documents', () => {
    for (const t of ['null', '"x\\"y"', '-1.5e3', '{"a":{"b":[true,false,null]}}']) {
      expect(() => JSON.parse(t)).not.toThrow();
      expect(firstJsonErrorOffset(t)).toBe(-1);
    }
  });
});

describe('lineColumn', () => {
  it('counts 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});
