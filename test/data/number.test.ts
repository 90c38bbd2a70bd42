import { describe, expect, it } from 'vitest';
import { cellKind, parseCell } from '../../dist/data/number.js';

describe('parseCell', () => {
  it.each([
    ['0', 0], ['-0', -0], ['42', 42], ['3.25', 3.25], ['-1.5e-3', -0.0015], ['+7', 7], ['.5', 0.5], ['5.', 5],
    ['1E10', 1e10], ['0.1', 0.1], ['007', 7], ['0e5', 0], [' 2 ', 2], ['\t-3', -3], ['1 ', 1],
    ['0.30000000000000004', 0.30000000000000004],
  ])('%j is %d', (s, v) => {
    expect(Object.is(parseCell(s), v)).toBe(true);
    expect(cellKind(s)).toBe('number');
  });

  it.each(['abc', 'NaN', 'nan', 'Infinity', '-Infinity', '+Infinity', '1e999', '0x1F', '0b11', '0o7', '-0x1', ' 0x1',
    '1_000', '1,5', '1.2.3', 'e5', '.', '-', '+', '1e', '١٢', '2 3'])('%j is invalid', (s) => {
    expect(parseCell(s)).toBeNaN();
    expect(cellKind(s)).toBe('invalid');
  });

  it.each(['', ' ', '\t'])('%j is empty', (s) => {
    expect(parseCell(s)).toBeNaN();
    expect(cellKind(s)).toBe('empty');
  });
});
