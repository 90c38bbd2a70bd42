/**
 * The default `sweep compare` report, in the manner of hyperfine: a heading, one row per (strategy, workers),
 * a bar of mean wall time per row (Unicode eighth blocks, so a 3% difference is still visible), whether the metrics
 * agreed, one verdict per strategy, and what the columns mean.
 */
import { createRequire } from 'node:module';
import type Table from 'cli-table3';
import type { CompareEntry, CompareResult } from '../compare/result.js';
import { COMPARE_HEAD, entryCells, footnotes, headingLine, identityLine, machineLine, mismatchLines } from './compare-cells.js';
import { formatDuration } from '../util/format.js';

export interface CompareTableOptions {
  color?: boolean;
  /** Characters of the longest bar (default 40). */
  barWidth?: number;
}

const CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', right: '', 'right-mid': '',
  mid: '─', 'mid-mid': '  ', middle: '  ',
};
const ansi = (code: number, reset: number) => (s: string) => `\x1b[${code}m${s}\x1b[${reset}m`;
const green = ansi(32, 39);
const red = ansi(31, 39);
const dim = ansi(2, 22);

export function renderCompareTable(r: CompareResult, opts: CompareTableOptions = {}): string {
  const color = opts.color ?? false;
  const TableClass = createRequire(import.meta.url)('cli-table3') as typeof Table;
  const table = new TableClass({
    head: COMPARE_HEAD,
    colAligns: COMPARE_HEAD.map((_, i) => (i === 0 ? 'left' : 'right') as 'left' | 'right'),
    chars: CHARS,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true, 'padding-left': 0, 'padding-right': 0 },
  });
  for (const e of r.entries) table.push(entryCells(e));
  const lines = [headingLine(r), '', ...table.toString().split('\n').map((l) => l.trimEnd()), ''];
  lines.push(...barLines(r.entries, opts.barWidth ?? 40), '');
  const id = identityLine(r);
  lines.push(color ? (r.identity.identical ? green(id) : red(id)) : id);
  for (const m of mismatchLines(r)) lines.push(`  ${m}`);
  lines.push('', ...r.verdicts, '');
  for (const n of [...footnotes(r), machineLine(r)]) lines.push(color ? dim(n) : n);
  return lines.join('\n') + '\n';
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `value / max × width` characters, to an eighth of a character; at least a sliver for any value > 0. */
export function bar(value: number, max: number, width: number): string {
  if (!(value > 0) || !(max > 0)) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** "thread-pool ×2  ████████▍  1.24 s": one bar of mean wall time per entry. */
export function barLines(entries: readonly CompareEntry[], width: number): string[] {
  const labels = entries.map((e) => `${e.strategy} ×${e.workers}`);
  const labelWidth = Math.max(0, ...labels.map((l) => l.length));
  const max = Math.max(0, ...entries.map((e) => e.wall.mean).filter(Number.isFinite));
  return entries.map((e, i) => `${labels[i].padEnd(labelWidth)}  ${bar(e.wall.mean, max, width).padEnd(width)}  ${formatDuration(e.wall.mean)}`);
}
