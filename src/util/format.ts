/**
 * Number formatting shared by every renderer (and, later, by `sweep compare`): durations in µs/ms/s/min,
 * byte counts, "mean ± sd" with as many digits as the spread justifies, relative speeds in hyperfine's manner.
 * All pure: same input, same string, no locale.
 */

/** Shown for a value that does not exist (a failed trial's metric, NaN). */
export const MISSING = '–';

/** `v` rounded to `sig` significant digits, in plain notation ("12.3", "850", "0.00412"). */
export function formatSignificant(v: number, sig = 3): string {
  if (!Number.isFinite(v)) return MISSING;
  if (v === 0) return '0';
  const decimals = decimalsFor(v, sig);
  if (decimals > 10 || Math.abs(v) >= 1e15) return v.toPrecision(sig); // beyond sensible plain notation
  return fixed(v, decimals);
}

/**
 * Duration with 3 significant digits in the largest unit below it: "850 µs", "12.3 ms", "1.24 s",
 * "2 min 05 s", "1 h 02 min". Rounding that reaches the next unit moves to it (999.7 ms → "1.00 s").
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return MISSING;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const us = roundSig(ms * 1000, 3);
  if (us < 1000) return `${trimSig(us, 3)} µs`;
  const m = roundSig(ms, 3);
  if (m < 1000) return `${trimSig(m, 3)} ms`;
  const s = roundSig(ms / 1000, 3);
  if (s < 60) return `${trimSig(s, 3)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${pad2(totalSeconds % 60)} s`;
  const totalMinutes = Math.round(ms / 60_000);
  return `${Math.floor(totalMinutes / 60)} h ${pad2(totalMinutes % 60)} min`;
}

/** A remaining-time estimate: whole seconds, because tenths only make a spinner flicker. */
export function formatEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms < 1000) return '<1 s';
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds} s` : formatDuration(seconds * 1000);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * Bytes in binary units with 3 significant digits: "512 B", "1.50 KiB", "10.0 MiB". The unit moves up at
 * 1000, not 1024, so a figure never needs four digits ("0.999 KiB", not "1020 KiB").
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return MISSING;
  let v = bytes;
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && roundSig(v, 3) >= 1000) {
    v /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(v)} B` : `${trimSig(roundSig(v, 3), 3)} ${BYTE_UNITS[unit]}`;
}

/**
 * "mean ± sd" where sd keeps `digits` significant digits and the mean is shown to the same decimal place
 * (0.392 ± 0.041, 58.1 ± 2.3): digits beyond the spread are noise. Without a spread (NaN, or a single
 * holdout fold) the mean alone with `digits + 1` significant digits; a zero spread prints "1.00 ± 0".
 */
export function formatMeanStd(mean: number, sd: number, digits = 2): string {
  if (!Number.isFinite(mean)) return MISSING;
  if (!Number.isFinite(sd)) return formatSignificant(mean, digits + 1);
  if (sd === 0) return `${formatSignificant(mean, digits + 1)} ± 0`;
  const decimals = decimalsFor(sd, digits);
  if (decimals > 10) return `${mean.toPrecision(digits + 1)} ± ${sd.toPrecision(digits)}`;
  return `${fixed(mean, decimals)} ± ${fixed(sd, decimals)}`;
}

/** A ratio with its uncertainty to two decimals, as hyperfine prints relative speed: "2.31 ± 0.05". */
export function formatRelative(ratio: number, sd?: number): string {
  if (!Number.isFinite(ratio)) return MISSING;
  return sd === undefined || !Number.isFinite(sd) ? ratio.toFixed(2) : `${ratio.toFixed(2)} ± ${sd.toFixed(2)}`;
}

/** A parallel speed-up factor: "1.86×". */
export function formatSpeedup(factor: number): string {
  return Number.isFinite(factor) ? `${factor.toFixed(2)}×` : MISSING;
}

/** Decimal places that leave `sig` significant digits in `v`. */
function decimalsFor(v: number, sig: number): number {
  // Round first so 0.0996 with 2 digits is treated as 0.10 (one decimal fewer than its exponent suggests).
  const r = roundSig(Math.abs(v), sig);
  return Math.max(0, sig - 1 - Math.floor(Math.log10(r)));
}

function roundSig(v: number, sig: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(sig));
}

/** An already rounded value shown with `sig` significant digits in plain notation ("1.00", "850"). */
function trimSig(v: number, sig: number): string {
  return v === 0 ? '0' : v.toFixed(Math.max(0, sig - 1 - Math.floor(Math.log10(Math.abs(v)))));
}

/** toFixed without "-0.0". */
function fixed(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `text` cut to `width` characters (code points, so no emoji is split), an ellipsis marking the cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
