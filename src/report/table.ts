/**
 * The default report: a cli-table3 table, one row per config in rank order (failed ones last), then the
 * summary lines. Borderless with a rule under the header, two spaces between columns, so a sweep over three
 * parameters fits a 100-column terminal; wider sweeps put each spread under its mean. Colour only when asked (a TTY without NO_COLOR): cli-table3
 * colours its header and border even into a pipe unless its style lists no colours. cli-table3 is loaded on
 * first use (synchronously, it is CommonJS), so importing the report layer keeps `sweep --help` fast.
 */
import { createRequire } from 'node:module';
import type Table from 'cli-table3';
import { metricNamesOf } from '../eval/metrics.js';
import { formatDuration, formatMeanStd, MISSING, truncate } from '../util/format.js';
import { formatParamValue, splitParams } from '../sweep/trial-params.js';
import type { SweepResult, TrialResult } from '../sweep/result.js';
import { fixedParamsLine, interruptedLine, summaryLines, trialMessage } from './summary.js';

export interface TableOptions {
  /** ANSI colour in the header, rule and failure text. Default false: renderers never look at the terminal. */
  color?: boolean;
  /**
   * Columns the table should fit (default 100). A wider table is drawn again with each "± sd" under its mean
   * and long camelCase headers broken in two; Infinity keeps one line per trial whatever the width.
   */
  width?: number;
}

const GUTTER = '  ';
/** cli-table3's borders for a borderless table: a rule under the header, two spaces between columns. */
export const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', right: '', 'right-mid': '',
  mid: '─', 'mid-mid': GUTTER, middle: GUTTER,
};
/** Room for a failure message when no ok row sets the width of the metric columns. */
const DEFAULT_MESSAGE_WIDTH = 60;

let tableClass: typeof Table | undefined;
/** cli-table3, loaded on first use (CommonJS, synchronously). */
export function loadTable(): typeof Table {
  tableClass ??= createRequire(import.meta.url)('cli-table3') as typeof Table;
  return tableClass;
}

const ansi = (code: number, reset: number) => (s: string) => `\x1b[${code}m${s}\x1b[${reset}m`;
const red = ansi(31, 39);
const yellow = ansi(33, 39);
const dim = ansi(2, 22);

export function renderTable(result: SweepResult, opts: TableOptions = {}): string {
  const color = opts.color ?? false;
  const width = opts.width ?? 100;
  let table = tableLines(result, color, false);
  if (table.some((l) => visibleLength(l) > width)) table = tableLines(result, color, true);

  const lines: string[] = [];
  const interrupted = interruptedLine(result);
  if (interrupted) lines.push(color ? yellow(interrupted) : interrupted);
  const fixed = fixedParamsLine(result);
  if (fixed) lines.push(fixed);
  lines.push(...table, '');
  const summary = summaryLines(result);
  const labelWidth = Math.max(...summary.map((s) => s.label.length));
  for (const s of summary) {
    const label = s.label.padEnd(labelWidth);
    lines.push(`${color ? dim(label) : label}  ${s.value}`);
  }
  return lines.join('\n') + '\n';
}

/** The table proper; `stacked` puts each spread on a second line and breaks long headers, to save width. */
function tableLines(result: SweepResult, color: boolean, stacked: boolean): string[] {
  if (result.trials.length === 0) return ['no trials finished'];
  const { varying } = splitParams(result.trials);
  const holdout = 'testFraction' in result.evaluation;
  const names = metricNamesOf(result.trials.map((t) => t.metrics));
  // A search's trials carry their number (the order it proposed them in).
  const numbered = result.search !== undefined;
  const rungs = result.trials.some((t) => t.rung !== undefined);
  const head = [...(numbered ? ['#'] : []), ...(rungs ? ['rung', 'resource'] : []), 'rank', ...varying, ...names, 'fit', 'predict'];
  const TableClass = loadTable();
  const table = new TableClass({
    head: stacked ? head.map(breakCamelCase) : head,
    colAligns: head.map(() => 'right' as const),
    chars: BORDERLESS,
    style: {
      head: color ? ['cyan'] : [],
      border: color ? ['grey'] : [],
      compact: true,
      'padding-left': 0,
      'padding-right': 0,
    },
  });

  const okRows = result.trials.filter((t) => t.status === 'ok').map((t) => okCells(t, names, holdout, stacked));
  const spanned = names.length + 2;
  const messageWidth = okRows.length === 0 ? DEFAULT_MESSAGE_WIDTH : spanWidth(okRows, head, spanned);
  for (const t of result.trials) {
    const params = varying.map((n) => formatParamValue(t.params[n]));
    const number = [...(numbered ? [String(t.number ?? MISSING)] : []), ...(rungs ? [String(t.rung ?? MISSING), String(t.resource ?? MISSING)] : [])];
    if (t.status === 'ok') {
      table.push([...number, t.rank === undefined ? MISSING : String(t.rank), ...params, ...okCells(t, names, holdout, stacked)]);
    } else {
      const text = truncate(trialMessage(t), messageWidth);
      table.push([...number, MISSING, ...params, { content: color ? red(text) : text, colSpan: spanned, hAlign: 'left' }]);
    }
  }
  return table.toString().split('\n').map((l) => l.trimEnd());
}

/** Metric and timing cells of an ok trial; a holdout has one fold, so no spread to show. */
function okCells(t: TrialResult, names: readonly string[], holdout: boolean, stacked: boolean): string[] {
  const metrics = names.map((m) => {
    if (!t.metrics || t.metrics[m] === undefined) return MISSING;
    const text = formatMeanStd(t.metrics[m], holdout || !t.metricsStd ? NaN : t.metricsStd[m]);
    return stacked ? text.replace(' ± ', '\n± ') : text;
  });
  return [...metrics, formatDuration(t.fitMs), formatDuration(t.predictMs)];
}

/** Width the failure message may take: the metric and time columns it spans, as the ok rows size them. */
function spanWidth(okRows: string[][], head: string[], spanned: number): number {
  const first = head.length - spanned;
  let width = GUTTER.length * (spanned - 1);
  for (let c = 0; c < spanned; c++) {
    let w = head[first + c].length;
    for (const row of okRows) for (const line of row[c].split('\n')) w = Math.max(w, line.length);
    width += w;
  }
  return width;
}

/** "minSamplesLeaf" → "minSamples\nLeaf": long camelCase names on two lines, split near the middle. */
export function breakCamelCase(name: string): string {
  if (name.length <= 10) return name;
  let best = -1;
  for (let i = 1; i < name.length; i++) {
    if (/[A-Z]/.test(name[i]) && (best < 0 || Math.abs(2 * i - name.length) < Math.abs(2 * best - name.length))) best = i;
  }
  return best < 0 ? name : `${name.slice(0, best)}\n${name.slice(best)}`;
}

function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}
