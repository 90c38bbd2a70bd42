/**
 * The history of past sweeps: beside every checkpoint FILE.jsonl, a sweep writes FILE.summary.json (who ran what,
 * when, on which data, how it ended) once its checkpoint is accepted and again when it ends, and FILE.result.json (the whole
 * SweepResult, the record every renderer reads) when it ends. `sweep history` lists the summaries of a directory,
 * newest first; `sweep show ID` renders a result again, byte for byte what the run printed, without running
 * anything. IDs are 12 hex digits of the checkpoint's name and may be abbreviated as git's are: any prefix that
 * names one sweep.
 *
 * A run killed before it wrote its result (SIGKILL, a crash) is shown from its checkpoint instead (rebuild.ts).
 *
 * Status: "running" while the run is alive; "finished" (every trial ok), "failed" (a trial or the run failed) or
 * "interrupted" (Ctrl-C, a checkpoint that could not be written) when it ends. A summary still saying "running"
 * whose process is gone (killed, a crash, the machine rebooted) reads as "interrupted": its checkpoint holds what
 * finished, and `--resume` picks it up.
 *
 * Files are replaced whole (written to a temporary name, then renamed), so a reader never sees half a record.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { RESULT_SCHEMA, type SweepResult } from './result.js';
import { rebuildFromCheckpoint } from './rebuild.js';

/** Bumped when the summary's fields change meaning. */
export const SUMMARY_SCHEMA = 1;

export type SweepStatus = 'running' | 'finished' | 'interrupted' | 'failed';

export interface SweepSummary {
  schema: number;
  kind: 'sweep-summary';
  /** 12 hex digits of the checkpoint's file name. */
  id: string;
  /** The checkpoint this sweep appends to (as given, relative to `cwd` when relative). */
  checkpoint: string;
  cwd: string;
  startedAt: string;
  finishedAt?: string;
  command: string[];
  version: string;
  host: string;
  pid: number;
  data: { name: string; rows: number; sha256?: string };
  model: string;
  /** grid, random, tpe, halving, hyperband. */
  search: string;
  metric: string;
  direction: 'max' | 'min';
  /** The parameters the sweep searched (the others kept one value): what `history` shows of the best. */
  swept?: string[];
  /** Fits planned (configs × folds; a search's trials × folds). */
  fits: number;
  /** Folds (splits) per trial, and how the result names the evaluation: what a result rebuilt from the checkpoint needs. */
  folds?: number;
  evaluation?: SweepResult['evaluation'];
  /** The strategy and threads the run used (known once it starts). */
  strategy?: string;
  workers?: number;
  status: SweepStatus;
  /** Why a failed run failed, or what stopped an interrupted one. */
  error?: string;
  trials?: { total: number; ok: number; failed: number; interrupted: number };
  best?: SweepResult['best'];
  wallMs?: number;
}

/** The files of a checkpoint's history: its summary and its result. */
export function historyFiles(checkpoint: string): { summary: string; result: string } {
  const stem = checkpoint.endsWith('.jsonl') ? checkpoint.slice(0, -'.jsonl'.length) : checkpoint;
  return { summary: `${stem}.summary.json`, result: `${stem}.result.json` };
}

const SUMMARY = '.summary.json';

/** The file beside a summary file with the same stem: its checkpoint (`.jsonl`), its result (`.result.json`). */
function besideSummary(summaryFile: string, suffix: string): string {
  return `${summaryFile.slice(0, -SUMMARY.length)}${suffix}`;
}

/** The history ID of a checkpoint: 12 hex digits of its file name (so IDs spread evenly and short prefixes name one). */
export function historyId(checkpoint: string): string {
  return createHash('sha256').update(basename(checkpoint)).digest('hex').slice(0, 12);
}

function writeWhole(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, file);
}

/** Write (or replace) a sweep's summary beside its checkpoint. */
export function writeSummary(summary: SweepSummary): void {
  writeWhole(historyFiles(summary.checkpoint).summary, JSON.stringify(summary, null, 2) + '\n');
}

/** Write a finished (or stopped) sweep's result beside its checkpoint. */
export function writeResult(checkpoint: string, result: SweepResult): void {
  writeWhole(historyFiles(checkpoint).result, JSON.stringify(result) + '\n');
}

/** What a run's result says of how it ended. */
export function statusOf(result: SweepResult): { status: SweepStatus; error?: string } {
  if (result.stoppedBy !== undefined) return { status: 'interrupted', error: result.stoppedBy };
  if (result.interrupted) return { status: 'interrupted' };
  const failed = result.trials.find((t) => t.status === 'failed');
  if (failed || result.tasks.failed > 0) return { status: 'failed', ...(failed?.error !== undefined ? { error: failed.error } : {}) };
  return { status: 'finished' };
}

/** The summary's fields that come from a result. */
export function summaryOfResult(result: SweepResult): Pick<SweepSummary, 'status' | 'error' | 'trials' | 'best' | 'wallMs'> {
  const count = (s: string) => result.trials.filter((t) => t.status === s).length;
  return {
    ...statusOf(result),
    trials: { total: result.trials.length, ok: count('ok'), failed: count('failed'), interrupted: count('interrupted') },
    best: result.best,
    wallMs: result.wallMs,
  };
}

/** Whether process `pid` is alive on this machine (a summary from another host cannot be checked: assumed alive). */
function alive(summary: SweepSummary): boolean {
  if (summary.host !== hostname()) return true;
  try {
    process.kill(summary.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A summary file's record, or why it is not one. */
function parseSummary(text: string): SweepSummary | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isRecord(v) || v.kind !== 'sweep-summary') return 'not a sweep summary';
  if (v.schema !== SUMMARY_SCHEMA) return `summary schema ${String(v.schema)}, this sweep reads ${SUMMARY_SCHEMA}`;
  for (const k of ['id', 'checkpoint', 'startedAt', 'status', 'model', 'search', 'metric'] as const) if (typeof v[k] !== 'string') return `no ${k}`;
  if (!Array.isArray(v.command) || !isRecord(v.data)) return 'no command or data';
  return v as unknown as SweepSummary;
}

export interface HistoryEntry {
  summary: SweepSummary;
  /** The summary file. */
  file: string;
  /** The status as it reads now: a "running" sweep whose process is gone is "interrupted". */
  status: SweepStatus;
  /** The result file, when the run got to write one. */
  result?: string;
}

/** Every sweep summary in `dir`, newest first; unreadable files are told to `onSkip` and left out. */
export function listHistory(dir = '.sweep', onSkip?: (file: string, why: string) => void): HistoryEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`history directory ${dir}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const entries: HistoryEntry[] = [];
  for (const name of names.filter((n) => n.endsWith(SUMMARY)).sort()) {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      onSkip?.(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      continue;
    }
    const summary = parseSummary(text);
    if (typeof summary === 'string') {
      onSkip?.(file, summary);
      continue;
    }
    const resultFile = besideSummary(file, '.result.json');
    const status: SweepStatus = summary.status === 'running' && !alive(summary) ? 'interrupted' : summary.status;
    entries.push({ summary, file, status, ...(existsSync(resultFile) ? { result: resultFile } : {}) });
  }
  return entries.sort((a, b) => (a.summary.startedAt < b.summary.startedAt ? 1 : a.summary.startedAt > b.summary.startedAt ? -1 : a.summary.id.localeCompare(b.summary.id)));
}

/** The one entry whose ID starts with `prefix` (git's abbreviation), or a UsageError saying why not. */
export function findHistory(entries: readonly HistoryEntry[], prefix: string, dir = '.sweep'): HistoryEntry {
  const p = prefix.trim().toLowerCase();
  if (!/^[0-9a-f]{4,12}$/.test(p)) throw new UsageError(`"${prefix}" is not a sweep ID (4 to 12 hex digits, from sweep history)`);
  const hits = entries.filter((e) => e.summary.id.startsWith(p));
  if (hits.length === 0) throw new UsageError(`no sweep ${prefix} in ${dir}`, 'sweep history lists the sweeps of this directory');
  if (hits.length > 1) throw new UsageError(`sweep ID ${prefix} is ambiguous: ${hits.map((e) => e.summary.id).join(', ')}`, 'give more digits');
  return hits[0];
}

/** The stored result of an entry, or a UsageError saying why there is none. */
export function readStoredResult(entry: HistoryEntry): SweepResult {
  if (entry.result !== undefined) return readResultFile(entry.result);
  if (entry.status === 'running') throw new UsageError(`sweep ${entry.summary.id} has no stored result`, 'it is still running');
  // Killed before it wrote its result: what its checkpoint holds, marked interrupted (rebuild.ts).
  const checkpoint = besideSummary(entry.file, '.jsonl');
  if (!existsSync(checkpoint)) throw new UsageError(`sweep ${entry.summary.id} has no stored result and no checkpoint`, `run it again: ${entry.summary.command.join(' ')}`);
  return rebuildFromCheckpoint(entry.summary, checkpoint);
}

/** A result record from a file (a stored result, or `--format json` output), checked enough to render. */
export function readResultFile(file: string): SweepResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not JSON (a sweep result is what sweep run --format json writes)`);
  }
  if (!isRecord(v) || !Array.isArray(v.trials) || typeof v.metric !== 'string' || !isRecord(v.data) || !isRecord(v.tasks)) {
    throw new UsageError(`${file}: not a sweep result (no trials, metric, data or tasks)`);
  }
  if (typeof v.schema === 'number' && v.schema > RESULT_SCHEMA) throw new UsageError(`${file}: result schema ${v.schema} is newer than this sweep reads (${RESULT_SCHEMA})`, 'upgrade sweep');
  // The whole record against the documented JSON Schema: a renderer may then trust every field it reads.
  const validate = resultValidator();
  if (!validate(v)) {
    const e = validate.errors?.[0];
    throw new UsageError(`${file}: not a valid sweep result: ${e?.instancePath || '(the record)'} ${e?.message ?? 'is invalid'}`, 'docs/result.schema.json describes the record');
  }
  return v as unknown as SweepResult;
}

interface Validator {
  (v: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}

let validator: Validator | undefined;

/** ajv compiled with docs/result.schema.json, once (loaded only when a stored result is read). */
function resultValidator(): Validator {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  const { Ajv } = require('ajv') as { Ajv: new (opts: object) => { compile(schema: unknown): Validator } };
  const schema: unknown = JSON.parse(readFileSync(new URL('../../docs/result.schema.json', import.meta.url), 'utf8'));
  // The schema is ours (checked in full by the tests): no meta-validation, no code optimisation — half the compile time.
  validator = new Ajv({ allErrors: false, strict: false, validateSchema: false, code: { optimize: false } }).compile(schema);
  return validator;
}

/** Remove an entry's files: summary, result, checkpoint and a search's rung checkpoints (FILE.rows-N.jsonl). */
export function removeHistory(entry: HistoryEntry): void {
  const dir = dirname(entry.file);
  const stem = basename(besideSummary(entry.file, ''));
  const checkpoint = besideSummary(entry.file, '.jsonl');
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${stem}.rows-`) && name.endsWith('.jsonl')) rmSync(join(dir, name), { force: true });
  }
  if (entry.result !== undefined) rmSync(entry.result, { force: true });
  if (existsSync(checkpoint) && statSync(checkpoint).isFile()) rmSync(checkpoint, { force: true });
  rmSync(entry.file, { force: true });
}

/** The entries `--prune` removes: all but the `keep` newest, and any older than `olderThanMs`; never a running one. */
export function pruneCandidates(entries: readonly HistoryEntry[], keep: number, olderThanMs: number | undefined, now = Date.now()): HistoryEntry[] {
  return entries.filter((e, i) => e.status !== 'running' && (i >= keep || (olderThanMs !== undefined && now - Date.parse(e.summary.startedAt) > olderThanMs)));
}
