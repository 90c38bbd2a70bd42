/**
 * `sweep run`'s history record (sweep/history.ts): a summary beside the checkpoint when the sweep starts, its
 * result and final summary when it ends, a "failed" summary naming the error when the run throws. A record that
 * cannot be written costs the user a line on stderr, never the sweep.
 */
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { PreparedSweep } from '../api/types.js';
import { resultEvaluation } from '../api/run.js';
import { dataHash } from '../sweep/checkpoint.js';
import { historyId, summaryOfResult, SUMMARY_SCHEMA, writeResult, writeSummary, type SweepSummary } from '../sweep/history.js';
import type { SweepResult } from '../sweep/result.js';
import { VERSION } from '../version.js';

/**
 * The command line as the result and the history record keep it: the program's name, then its arguments, with
 * any password in a URL (--cluster redis://:secret@host) replaced by ***, since results are shared and kept.
 */
export function commandLine(argv: readonly string[] = process.argv): string[] {
  return ['sweep', ...argv.slice(2).map((a) => a.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s/@]*@/gi, '$1***@'))];
}

export interface RunRecord {
  /** The sweep got past its checkpoint's checks: record it as running (once; later calls do nothing). */
  begin(run: { strategy: string; workers: number }): void;
  finish(result: SweepResult): void;
  /** The run threw after it began: record it as failed with the error's first line (nothing if it never began). */
  fail(err: unknown): void;
}

/**
 * The record of a run that appends to `checkpoint` (nothing is recorded without one). Nothing is written before
 * `begin`: a run refused before its first task (bad flags, a checkpoint another sweep wrote) leaves any record
 * beside that checkpoint as it was.
 */
export function startRecord(prep: PreparedSweep, checkpoint: string | undefined, command: string[], fits: number, warn: (msg: string) => void): RunRecord {
  if (checkpoint === undefined) return { begin() {}, finish() {}, fail() {} };
  const evaluation = resultEvaluation(prep.folds);
  const summary: SweepSummary = {
    schema: SUMMARY_SCHEMA,
    kind: 'sweep-summary',
    id: historyId(checkpoint),
    checkpoint,
    cwd: process.cwd(),
    startedAt: new Date().toISOString(),
    command,
    version: VERSION,
    host: hostname(),
    pid: process.pid,
    data: { name: prep.data.name, rows: prep.data.rows, sha256: dataHash(prep.data) },
    model: prep.udf !== undefined ? `udf:${basename(prep.udf)}` : prep.model,
    search: prep.search.method,
    metric: prep.metric,
    direction: prep.direction,
    swept: Object.keys(prep.space),
    fits,
    folds: prep.folds.count,
    evaluation,
    status: 'running',
  };
  let failedOnce = false;
  const write = (what: () => void) => {
    try {
      what();
    } catch (err) {
      if (!failedOnce) warn(`cannot write the history record beside ${checkpoint} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the sweep goes on`);
      failedOnce = true;
    }
  };
  let begun = false;
  return {
    begin(run) {
      if (begun) return;
      begun = true;
      summary.strategy = run.strategy;
      summary.workers = run.workers;
      write(() => writeSummary(summary));
    },
    finish(result) {
      begun = true;
      write(() => {
        writeResult(checkpoint, result);
        writeSummary({ ...summary, startedAt: result.startedAt ?? summary.startedAt, finishedAt: new Date().toISOString(), ...summaryOfResult(result) });
      });
    },
    fail(err) {
      if (!begun) return;
      const message = err instanceof Error ? err.message : String(err);
      write(() => writeSummary({ ...summary, finishedAt: new Date().toISOString(), status: 'failed', error: message.split('\n')[0].slice(0, 500) }));
    },
  };
}
