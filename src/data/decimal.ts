/**
 * Exact decimal parsing straight from bytes, for the CSV fast path (csv-fast.ts): no string per cell in the
 * common case. Only the plain grammar  [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?  is taken, and
 * for every such field the result is the same double as Number(text), hence as parseCell(text):
 *  - a mantissa below 2^53 with a decimal exponent of at most 22 in size is one multiply or divide of two exact
 *    doubles, which IEEE rounds correctly (Clinger's fast path);
 *  - anything else (17-digit mantissas, big exponents) is Number() of the field's ASCII bytes.
 * A field outside the grammar, or one that overflows to ±Infinity, gives NaN: the caller leaves the fast path.
 */

/** 10^0 … 10^22, every one exact as a double. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const TWO53 = 2 ** 53;
/**
 * An exponent this large or larger is not scanned here: with a mantissa of as many digits it could still be finite
 * or anything else, so the field goes to the slow path (Number() of its text), which decides exactly.
 */
const EXP_CAP = 100_000;

export class DecimalScanner {
  /** Where the last scan stopped: the first byte after the number (the caller checks it is a separator). */
  end = 0;

  /**
   * The number starting at buf[i], or NaN when none of the plain grammar starts there or it is not finite.
   * The bytes after it are not checked here. buf must hold a byte that is not part of a number after the field
   * (the CSV fast path guarantees a line feed), so the loops never run past its end.
   */
  scan(buf: Buffer, i: number): number {
    const start = i;
    let c = buf[i];
    const negative = c === 45; // '-'
    if (negative || c === 43) c = buf[++i]; // '+'
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      c = buf[++i];
    }
    if (c === 46) {
      // '.'
      c = buf[++i];
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        scale--;
        c = buf[++i];
      }
    }
    if (digits === 0) return this.stop(i);
    if (c === 101 || c === 69) {
      // 'e' | 'E'
      c = buf[++i];
      const down = c === 45;
      if (down || c === 43) c = buf[++i];
      let e = 0;
      let expDigits = 0;
      while (c >= 48 && c <= 57) {
        if (e < EXP_CAP) e = e * 10 + (c - 48);
        expDigits++;
        c = buf[++i];
      }
      if (expDigits === 0 || e >= EXP_CAP) return this.stop(i);
      scale += down ? -e : e;
    }
    this.end = i;
    // Once the running mantissa reaches 2^53 it never drops below it, so a final value below 2^53 is exact.
    if (mantissa < TWO53 && scale >= -22 && scale <= 22) {
      const v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
      return negative ? -v : v;
    }
    if (mantissa === 0) return negative ? -0 : 0;
    const v = Number(ascii(buf, start, i));
    return v - v === 0 ? v : NaN;
  }

  private stop(i: number): number {
    this.end = i;
    return NaN;
  }
}

/** Node's fast decoder behind buf.toString('latin1', …), without its argument checks (not in @types/node). */
interface Latin1 {
  latin1Slice(start: number, end: number): string;
}

/** The bytes [start, end) as a string; they are ASCII here, so Latin-1 decoding is exact. */
function ascii(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1).latin1Slice(start, end);
}
