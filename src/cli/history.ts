/**
 * `sweep history` (the past sweeps of a directory), `sweep show ID|FILE` (a past sweep's report in any format,
 * from its stored result: nothing runs again) and `sweep report ID|FILE` (the same, as an HTML page).
 */
import { Command, Option } from 'commander';
import { EXIT_OK, UsageError } from '../errors.js';
import { findHistory, listHistory, pruneCandidates, readResultFile, readStoredResult, removeHistory } from '../sweep/history.js';
import { renderHistoryJson, renderHistoryTable } from '../report/history.js';
import type { SweepResult } from '../sweep/result.js';
import { colorEnabled, isStdout, renderAny, writeReport, type OutputFormat } from '../report/render.js';

import { checkWritable, writingTo } from './outputs.js';
import { parseIntFlag } from './options.js';

interface HistoryFlags {
  dir: string;
  format: 'table' | 'json';
  prune?: boolean;
  keep?: string;
  olderThan?: string;
  dryRun?: boolean;
}

export function historyCommand(): Command {
  return new Command('history')
    .description('list the sweeps run in this directory (from .sweep/), newest first, with how each ended')
    .option('--dir <dir>', 'where the checkpoints and their records are', '.sweep')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .option('--prune', 'remove old sweeps (their checkpoints, results and records): all but the --keep newest, and any older than --older-than')
    .option('--keep <n>', 'with --prune: how many of the newest to keep', '10')
    .option('--older-than <age>', 'with --prune: also remove sweeps started longer ago than this (30d, 12h, 90m)')
    .option('--dry-run', 'with --prune: list what would go, remove nothing')
    .addHelpText('after', '\nExamples:\n  sweep history\n  sweep history --format json | jq -r \'.[0].id\'\n  sweep history --prune --keep 5\n  sweep show 3fa4c1e --format html --output report.html')
    .action(async (flags: HistoryFlags) => {
      const skipped: string[] = [];
      const entries = listHistory(flags.dir, (file, why) => skipped.push(`sweep: skipped ${file}: ${why}`));
      for (const line of skipped) process.stderr.write(`${line}\n`);
      if (flags.prune) {
        const keep = parseIntFlag(flags.keep, 'keep', 0) ?? 10;
        const olderThan = flags.olderThan === undefined ? undefined : parseAge(flags.olderThan);
        const gone = pruneCandidates(entries, keep, olderThan);
        for (const e of gone) {
          if (!flags.dryRun) removeHistory(e);
          process.stderr.write(`sweep: ${flags.dryRun ? 'would remove' : 'removed'} ${e.summary.id} (${e.status}, started ${e.summary.startedAt})\n`);
        }
        if (gone.length === 0) process.stderr.write('sweep: nothing to prune\n');
        process.exitCode = EXIT_OK;
        return;
      }
      if (flags.keep !== '10' || flags.olderThan !== undefined || flags.dryRun) throw new UsageError('--keep, --older-than and --dry-run apply to --prune');
      await writeReport(flags.format === 'json' ? renderHistoryJson(entries) : renderHistoryTable(entries, flags.dir));
      process.exitCode = EXIT_OK;
    });
}

/** "30d", "12h", "90m", "45s" → ms. */
export function parseAge(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(raw);
  if (!m) throw new UsageError(`--older-than must be an age such as 30d, 12h or 90m, got ${JSON.stringify(raw)}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2].toLowerCase() as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

interface ShowFlags {
  dir: string;
  format: OutputFormat;
  output?: string;
  sort?: 'rank' | 'number';
  foldsColumns?: boolean;
}

/** A sweep ID (any unique prefix) from the history of `dir`, or a result file (a stored result, --format json output). */
function resolveResult(target: string, dir: string): SweepResult {
  if (/^[0-9a-f]{4,12}$/i.test(target.trim())) return readStoredResult(findHistory(listHistory(dir), target, dir));
  if (target.endsWith('.json') || target.includes('/')) return readResultFile(target);
  throw new UsageError(`"${target}" is neither a sweep ID (hex digits, from sweep history) nor a result file (.json)`);
}

function showAction(defaultFormat: OutputFormat) {
  return async (target: string, flags: ShowFlags) => {
    const format = flags.format ?? defaultFormat;
    if (flags.foldsColumns && format !== 'csv') throw new UsageError(`--folds-columns applies to --format csv, not ${format}`);
    if (!isStdout(flags.output)) checkWritable(flags.output!, 'output');
    const result = resolveResult(target, flags.dir);
    const toStdout = isStdout(flags.output);
    const text = await renderAny(result, format, {
      color: toStdout && colorEnabled(process.stdout),
      width: process.stdout.columns,
      sort: flags.sort ?? 'rank',
      foldsColumns: Boolean(flags.foldsColumns),
    });
    if (toStdout) await writeReport(text, flags.output);
    else await writingTo(flags.output!, 'output', () => writeReport(text, flags.output));
    process.exitCode = EXIT_OK;
  };
}

function reportOptions(cmd: Command, format: OutputFormat): Command {
  return cmd
    .argument('<id|file>', 'a sweep ID from sweep history (any unique prefix), or a result file (--format json output)')
    .option('--dir <dir>', 'where the checkpoints and their records are', '.sweep')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv', 'markdown', 'html']).default(format))
    .option('--output <file>', 'write the report to a file (- for stdout)')
    .addOption(new Option('--sort <by>', 'order of the trials: rank (best first) or number (the order they were tried)').choices(['rank', 'number']).default('rank'))
    .option('--folds-columns', "csv: every split's score as a column of its own");
}

export function showCommand(): Command {
  return reportOptions(new Command('show').description("print a past sweep's report again, in any format, from its stored result (nothing runs)"), 'table').action(showAction('table'));
}

export function reportCommand(): Command {
  return reportOptions(new Command('report').description("a past sweep's report as one self-contained HTML page (charts included), from its stored result"), 'html')
    .addHelpText('after', '\nExamples:\n  sweep report 3fa4c1e --output report.html\n  sweep run --trees 10,20,50 --format json > r.json && sweep report r.json --output r.html')
    .action(showAction('html'));
}
