/**
 * One entry for the CLI: pick a renderer by `--format`, write the text to `--output` ("-" = stdout).
 * Renderers are pure; whether to colour is decided here, once, from the destination stream and NO_COLOR.
 */
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { renderCsv, type CsvOptions } from './csv.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { SweepResult } from '../sweep/result.js';
import { renderTable, type TableOptions } from './table.js';

export type ReportFormat = 'table' | 'json' | 'csv' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'csv', 'markdown'];

export type RenderOptions = TableOptions & CsvOptions;

/** Validate a `--format` value ("md" is accepted for markdown). */
export function parseReportFormat(raw: string): ReportFormat {
  const f = raw.trim().toLowerCase();
  if (f === 'md') return 'markdown';
  if ((REPORT_FORMATS as readonly string[]).includes(f)) return f as ReportFormat;
  throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got "${raw}"`);
}

export function renderReport(shown: SweepResult, format: ReportFormat, opts: RenderOptions & { sort?: 'rank' | 'number' } = {}): string {
  // Trials come in rank order; --sort number lists them in the order they were tried (grid order for a grid).
  const result = opts.sort === 'number' ? { ...shown, trials: [...shown.trials].sort((a, b) => (a.number ?? 0) - (b.number ?? 0)) } : shown;
  switch (format) {
    case 'table':
      return renderTable(result, opts);
    case 'json':
      return renderJson(result);
    case 'csv':
      return renderCsv(result, opts);
    case 'markdown':
      return renderMarkdown(result);
  }
}

/** Every format a sweep's report can take: the text ones, and a self-contained HTML page with charts. */
export type OutputFormat = ReportFormat | 'html';

/**
 * The report in any format. HTML loads its charting library (Observable Plot and a server-side DOM) here and
 * only here: the text formats never pay for it.
 */
export async function renderAny(result: SweepResult, format: OutputFormat, opts: RenderOptions & { sort?: 'rank' | 'number' } = {}): Promise<string> {
  if (format !== 'html') return renderReport(result, format, opts);
  const sorted = opts.sort === 'number' ? { ...result, trials: [...result.trials].sort((a, b) => (a.number ?? 0) - (b.number ?? 0)) } : result;
  return (await import('./html/report.js')).renderHtmlReport(sorted);
}

/** True when `output` means standard output: "-" or nothing. */
export function isStdout(output: string | undefined): boolean {
  return output === undefined || output === '-';
}

/**
 * Whether to colour text bound for `stream`: only a terminal, never when NO_COLOR is set to anything
 * non-empty (no-color.org) or TERM is "dumb"; FORCE_COLOR (non-"0") forces it on, as chalk does.
 */
export function colorEnabled(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Write `text` to a file, or to stdout for "-" / undefined; resolves when the bytes are handed off. */
export async function writeReport(text: string, output: string | undefined = '-'): Promise<void> {
  if (!isStdout(output)) {
    await writeFile(output!, text, 'utf8');
    return;
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
