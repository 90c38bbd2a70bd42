/** Pick a compare renderer by `--format`; the writing to `--output` is render.ts's writeReport. */
import type { CompareResult } from '../compare/result.js';
import { UsageError } from '../errors.js';
import { renderCompareCsv } from './compare-csv.js';
import { renderCompareJson } from './compare-json.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { renderCompareTable, type CompareTableOptions } from './compare-table.js';

export type CompareFormat = 'table' | 'json' | 'csv' | 'markdown' | 'html';
export const COMPARE_FORMATS: readonly CompareFormat[] = ['table', 'json', 'csv', 'markdown', 'html'];

export function parseCompareFormat(raw: string): CompareFormat {
  const f = raw.trim().toLowerCase();
  if (f === 'md') return 'markdown';
  if ((COMPARE_FORMATS as readonly string[]).includes(f)) return f as CompareFormat;
  throw new UsageError(`--format must be one of ${COMPARE_FORMATS.join(', ')}, got "${raw}"`);
}

/** Any format; HTML loads its charting library here, and only for HTML. */
export async function renderCompareAny(r: CompareResult, format: CompareFormat, opts: CompareTableOptions = {}): Promise<string> {
  if (format === 'html') return (await import('./compare-html.js')).renderCompareHtml(r);
  return renderCompare(r, format, opts);
}

export function renderCompare(r: CompareResult, format: Exclude<CompareFormat, 'html'>, opts: CompareTableOptions = {}): string {
  switch (format) {
    case 'table':
      return renderCompareTable(r, opts);
    case 'json':
      return renderCompareJson(r);
    case 'csv':
      return renderCompareCsv(r);
    case 'markdown':
      return renderCompareMarkdown(r);
  }
}
