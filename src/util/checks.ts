/**
 * The one range check of integer options, shared by the CLI (after it has read a flag's text as an integer) and
 * the library (for options given as numbers), so a bad value gets the same message whichever way it came in.
 */
import { UsageError } from '../errors.js';

export function checkInteger(v: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (Number.isInteger(v) && v >= min && v <= max) return v;
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  throw new UsageError(`--${name} must be an integer ${range}, got ${v}`);
}
