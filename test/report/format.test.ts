import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatEta,
  formatMeanStd,
  formatRelative,
  formatSignificant,
  formatSpeedup,
} from '../../dist/util/format.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 µs'],
    [0.85, '850 µs'],
    [0.012, '12.0 µs'],
    [0.0004, '0.400 µs'],
    [0.9996, '1.00 ms'], // rounds up into the next unit
    [1, '1.00 ms'],
    [12.34, '12.3 ms'],
    [999.4, '999 ms'],
    [999.7, '1.00 s'],
    [1240, '1.24 s'],
    [12_345, '12.3 s'],
    [59_940, '59.9 s'],
    [59_960, '1 min 00 s'], // 60.0 s would be a seconds figure past its unit
    [125_000, '2 min 05 s'],
    [3_599_400, '59 min 59 s'],
    [3_720_000, '1 h 02 min'],
    [-12.34, '-12.3 ms'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shows a dash for values that are not durations', () => {
    expect(formatDuration(NaN)).toBe('–');
    expect(formatDuration(Infinity)).toBe('–');
  });
});

describe('formatMeanStd', () => {
  it.each([
    [0.392, 0.041, '0.392 ± 0.041'],
    [58.14, 2.31, '58.1 ± 2.3'],
    [0.3921, 0.0996, '0.39 ± 0.10'], // the spread rounds up to 0.10: two digits, one decimal place fewer
    [12345.6, 234, '12346 ± 234'],
    [-0.0004, 0.02, '0.000 ± 0.020'], // no "-0.000"
    [1, 0, '1.00 ± 0'],
  ])('%d ± %d → %s', (mean, sd, text) => {
    expect(formatMeanStd(mean, sd)).toBe(text);
  });

  it('drops the spread when there is none to show', () => {
    expect(formatMeanStd(0.39217, NaN)).toBe('0.392');
    expect(formatMeanStd(NaN, 0.1)).toBe('–');
  });

  it('takes the significant digits of the spread', () => {
    expect(formatMeanStd(0.392178, 0.041234, 3)).toBe('0.3922 ± 0.0412');
    expect(formatMeanStd(0.392178, 0.041234, 1)).toBe('0.39 ± 0.04');
  });
});

describe('other formatters', () => {
  it('formatSignificant', () => {
    expect(formatSignificant(0.0041234)).toBe('0.00412');
    expect(formatSignificant(1234.5)).toBe('1235');
    expect(formatSignificant(0)).toBe('0');
    expect(formatSignificant(1e-12)).toBe('1.00e-12');
  });

  it('formatBytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1023)).toBe('0.999 KiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MiB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.00 MiB');
  });

  it('formatRelative and formatSpeedup', () => {
    expect(formatRelative(2.3149, 0.0512)).toBe('2.31 ± 0.05');
    expect(formatRelative(1)).toBe('1.00');
    expect(formatSpeedup(2790 / 1500)).toBe('1.86×');
    expect(formatSpeedup(NaN)).toBe('–');
  });

  it('formatEta rounds to whole seconds', () => {
    expect(formatEta(400)).toBe('<1 s');
    expect(formatEta(7200)).toBe('8 s');
    expect(formatEta(125_000)).toBe('2 min 05 s');
  });
});
