/**
 * Strict, allocation-free parsing of one CSV cell into a float64. `Number(s)` is fast but too lenient for
 * data (it takes "", "0x1f", "Infinity", " "), so the common case — a cell starting with a digit, sign or
 * dot — is checked with a few char codes and everything else takes a slow, exact path.
 */

/** What a cell is: a finite decimal number, empty (or blank), or anything else. */
export type CellKind = 'number' | 'empty' | 'invalid';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value of a decimal cell, or NaN when it is empty or not a finite decimal number (see cellKind). */
export function parseCell(s: string): number {
  const v = +s;
  if (v - v !== 0) return NaN; // NaN, ±Infinity (from "Infinity" or an overflowing exponent)
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // "0x1f", "0b1", "0o7" are numbers to Number() but not decimals.
    if (c === 48 && s.length > 2) {
      const d = s.charCodeAt(1) | 32;
      if (d === 120 || d === 98 || d === 111) return NaN;
    }
    return v;
  }
  if (c === 45 || c === 43 || c === 46) return v; // "-", "+", "."; Number() rejects signed hex itself
  return slowParse(s, v);
}

/** Cells with surrounding blanks (" 1.5") are accepted as pandas does; an empty or blank cell is NaN. */
function slowParse(s: string, v: number): number {
  const t = s.trim();
  if (t.length === 0 || t.length === s.length) return NaN;
  return DECIMAL.test(t) ? v : NaN;
}

/** Why parseCell returned NaN: an empty (or blank) cell, or text that is not a finite decimal number. */
export function cellKind(s: string): CellKind {
  if (s.trim().length === 0) return 'empty';
  return Number.isNaN(parseCell(s)) ? 'invalid' : 'number';
}
