/**
 * `--format markdown`: a GitHub table (pasteable into an issue or a README) and the summary as a short list.
 * Markdown tables cannot span cells, so a failed trial's message sits in the first metric column.
 */
import { metricNamesOf } from '../eval/metrics.js';
import { formatDuration, formatMeanStd, MISSING } from '../util/format.js';
import { formatParamValue, splitParams } from '../sweep/trial-params.js';
import type { SweepResult, TrialResult } from '../sweep/result.js';
import { fixedParamsLine, interruptedLine, summaryLines, trialMessage } from './summary.js';

export function renderMarkdown(result: SweepResult): string {
  const { varying } = splitParams(result.trials);
  const holdout = 'testFraction' in result.evaluation;
  const names = metricNamesOf(result.trials.map((t) => t.metrics));
  const numbered = result.search !== undefined;
  const rungs = result.trials.some((t) => t.rung !== undefined);
  const extra = [...(numbered ? ['#'] : []), ...(rungs ? ['rung', 'resource'] : [])];
  const head = [...extra, 'rank', ...varying, ...names, 'fit', 'predict'];
  const lines: string[] = [];
  const interrupted = interruptedLine(result);
  if (interrupted) lines.push(`> **${interrupted}**`, '');
  const fixed = fixedParamsLine(result);
  if (fixed) lines.push(escapeInline(fixed), '');
  lines.push(row(head), row(head.map((h) => (h === 'rank' || extra.includes(h) || varying.includes(h) || names.includes(h) || h === 'fit' || h === 'predict' ? '---:' : '---'))));
  for (const t of result.trials) {
    const params = varying.map((n) => formatParamValue(t.params[n]));
    const rank = t.status === 'ok' && t.rank !== undefined ? String(t.rank) : MISSING;
    const lead = [...(numbered ? [String(t.number ?? MISSING)] : []), ...(rungs ? [String(t.rung ?? MISSING), String(t.resource ?? MISSING)] : [])];
    lines.push(row([...lead, rank, ...params, ...cells(t, names, holdout)]));
  }
  lines.push('');
  for (const s of summaryLines(result)) lines.push(`- **${s.label}**: ${escapeInline(s.value)}`);
  return lines.join('\n') + '\n';
}

function cells(t: TrialResult, names: readonly string[], holdout: boolean): string[] {
  if (t.status !== 'ok' || !t.metrics) {
    const message = trialMessage(t);
    return [message, ...Array<string>(names.length + 1).fill('')];
  }
  const metrics = names.map((m) => (t.metrics![m] === undefined ? MISSING : formatMeanStd(t.metrics![m], holdout || !t.metricsStd ? NaN : t.metricsStd[m])));
  return [...metrics, formatDuration(t.fitMs), formatDuration(t.predictMs)];
}

function row(cellsText: readonly string[]): string {
  return `| ${cellsText.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** Characters that would turn plain text into emphasis or markup in a list item. */
function escapeInline(s: string): string {
  return s.replace(/([\\`*_<>|])/g, '\\$1');
}
