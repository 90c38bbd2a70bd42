/**
 * Checkpoints: every finished task is appended to a JSON-lines file with one write() call, so completed work
 * survives a crash or Ctrl-C and `--resume` skips it. A line names its task by content (config params + fold),
 * not by position, so a resumed sweep with a changed grid picks up exactly the configs it shares with the old one.
 *
 * The first line of every checkpoint is its sweep's identity (CheckpointHeader): format version, tool version,
 * data (name, shape and a sha256 of its content), model (a UDF module's content hash included), evaluation, seed
 * and partitions. A checkpoint is only ever read or appended to by a sweep with the same identity: any difference
 * is refused up front with a message listing what differs, so a resume can never reuse results made from other
 * data or settings. Every task line is validated (strategies/record.ts) before it counts; bad lines are skipped and counted.
 *
 * Default location: .sweep/<base>-<grid>.jsonl, where <base> hashes the identity and <grid> the configs.
 * Resuming reads every checkpoint with the same <base>, so the grid may change between runs.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import type { TaskDiagnostics } from '../eval/diagnostics.js';
import { UsageError } from '../errors.js';
import type { Params } from '../models/params.js';
import { VERSION } from '../version.js';
import { parseTaskFields } from '../strategies/record.js';
import { baseId as identityBaseId, dataHash, gridId, type SweepIdentity } from '../strategies/identity.js';
import { configKey, taskKey, type TaskOutcome } from '../strategies/tasks.js';

/** Bumped when the line format changes; a checkpoint of another format is refused, never misread. */
export const CHECKPOINT_FORMAT = 1;

export interface CheckpointIdentity {
  data: Dataset;
  /** Built-in model kind, or "udf:<file name>#<source hash>" (strategies/identity.ts modelIdentity). */
  model: string;
  evaluation: unknown;
  seed: number;
  partitions: number;
  configs: readonly Params[];
}

/** The first line of a checkpoint: what its results were made from. */
export interface CheckpointHeader {
  format: number;
  tool: 'sweep';
  version: string;
  data: { name: string; rows: number; features: string[]; target: string; sha256: string };
  model: string;
  evaluation: unknown;
  seed: number;
  partitions: number;
}

export { dataHash };

/** The sweep identity (strategies/identity.ts) of a checkpoint's identity. */
function identityOf(id: CheckpointIdentity, hash = dataHash(id.data)): SweepIdentity {
  return { dataHash: hash, model: id.model, evaluation: id.evaluation, seed: id.seed, partitions: id.partitions };
}

export function checkpointHeader(id: CheckpointIdentity, hash = dataHash(id.data)): CheckpointHeader {
  const d = id.data;
  return {
    format: CHECKPOINT_FORMAT,
    tool: 'sweep',
    version: VERSION,
    data: { name: d.name, rows: d.rows, features: [...d.featureNames], target: d.targetName, sha256: hash },
    model: id.model,
    evaluation: id.evaluation,
    seed: id.seed,
    partitions: id.partitions,
  };
}

/** Hash of what makes two sweeps' task results interchangeable (everything but the grid and the data's name). */
export function baseId(id: CheckpointIdentity, hash = dataHash(id.data)): string {
  return identityBaseId(identityOf(id, hash));
}

export { gridId };

/** `base` may be passed when already computed: hashing the data is the costly part. */
export function defaultCheckpointPath(id: CheckpointIdentity, dir = '.sweep', base = baseId(id)): string {
  return join(dir, `${base}-${gridId(id.configs)}.jsonl`);
}

const short = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 70 ? `${s.slice(0, 67)}...` : s;
};

/** What differs between a checkpoint's header and this sweep's, one phrase per field ("seed 1 there, 42 here"). */
export function headerDifferences(there: CheckpointHeader, here: CheckpointHeader): string[] {
  const out: string[] = [];
  const cmp = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${label} ${short(a)} there, ${short(b)} here`);
  };
  cmp('format', there.format, here.format);
  cmp('sweep version', there.version, here.version);
  cmp('data', there.data?.name, here.data?.name);
  cmp('data rows', there.data?.rows, here.data?.rows);
  cmp('features', there.data?.features, here.data?.features);
  cmp('target', there.data?.target, here.data?.target);
  cmp('data content (sha256)', there.data?.sha256?.slice?.(0, 12), here.data?.sha256.slice(0, 12));
  cmp('model', there.model, here.model);
  cmp('evaluation', there.evaluation, here.evaluation);
  cmp('seed', there.seed, here.seed);
  cmp('partitions', there.partitions, here.partitions);
  return out;
}

/** The header of a checkpoint file's first line, or why there is none. */
function readHeader(text: string): { header: CheckpointHeader } | { problem: string } {
  const first = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  let json: unknown;
  try {
    json = JSON.parse(first);
  } catch {
    return { problem: 'its first line is not a sweep checkpoint header' };
  }
  const h = (json as { header?: unknown } | null)?.header as CheckpointHeader | undefined;
  if (h === null || typeof h !== 'object' || h.tool !== 'sweep') return { problem: 'it has no sweep checkpoint header (not a checkpoint, or written by sweep 0.1)' };
  return { header: h };
}

/** Refuse a checkpoint that another sweep wrote (UsageError listing the differences). */
function checkHeader(file: string, text: string, here: CheckpointHeader): void {
  const got = readHeader(text);
  if ('problem' in got) throw new UsageError(`checkpoint ${file}: ${got.problem}`, 'give another --checkpoint, or remove the file');
  const diff = headerDifferences(got.header, here);
  if (diff.length > 0) {
    throw new UsageError(`checkpoint ${file} was made by another sweep: ${diff.join('; ')}`, 'its results cannot be reused here: give another --checkpoint, or remove the file');
  }
}

/** A header line longer than this is not one sweep wrote (its feature names would fill 16 MiB). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** The first bytes of a file, through its first line break (its header line); '' when it does not exist or is empty. */
function headText(file: string): string {
  let fd: number;
  try {
    if (!statSync(file).isFile()) return ''; // a device (/dev/full reads as endless NUL bytes) or a pipe
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new UsageError(`--checkpoint ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    // Up to the first line break: the header line (a data set with thousands of features makes it long).
    const chunks: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      pos += n;
      if (buf.subarray(0, n).includes(10) || pos >= MAX_HEADER_BYTES) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** One line of a checkpoint. */
interface CheckpointLine {
  task: string;
  params: Params;
  fold: number;
  status: 'ok' | 'failed';
  metrics?: Record<string, number>;
  error?: TaskOutcome['error'];
  fitMs: number;
  predictMs: number;
  diagnostics?: TaskDiagnostics;
}

export class CheckpointWriter {
  private fd: number | undefined;
  private closed = false;
  /** The header line still to write before the first task (a new or empty file). */
  private pendingHeader: string | undefined;

  /**
   * Checks now that `path` is new, empty or a checkpoint of this very sweep (UsageError otherwise); the file is
   * opened at the first append, a new one starting with `header`, so a write error surfaces as a write error.
   */
  constructor(
    readonly path: string,
    header: CheckpointHeader,
  ) {
    const head = headText(path);
    if (head.trim() !== '') checkHeader(path, head, header);
    else this.pendingHeader = JSON.stringify({ header }) + '\n';
  }

  /** Append one finished task; a single write() so a crash leaves at most one partial last line. Throws on I/O errors. */
  append(outcome: TaskOutcome, params: Params): void {
    if (this.closed) return;
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    if (this.pendingHeader !== undefined) {
      writeSync(this.fd, this.pendingHeader);
      this.pendingHeader = undefined;
    }
    const line: CheckpointLine = {
      task: taskKey(params, outcome.fold),
      params,
      fold: outcome.fold,
      status: outcome.status,
      ...(outcome.metrics ? { metrics: outcome.metrics as unknown as Record<string, number> } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      fitMs: outcome.fitMs,
      predictMs: outcome.predictMs,
      ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}),
    };
    writeSync(this.fd, JSON.stringify(line) + '\n');
  }

  close(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface ResumeState {
  /** Finished outcomes mapped onto the current configs (failed ones are not reused: they run again). */
  done: TaskOutcome[];
  warnings: string[];
  files: string[];
}

/** Why a parsed line is not a task of a sweep with `foldCount` folds, or undefined when it is one. */
function lineProblem(line: unknown, foldCount: number): string | undefined {
  if (line === null || typeof line !== 'object' || Array.isArray(line)) return 'not an object';
  const l = line as Record<string, unknown>;
  const params = l.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return 'params is not an object';
  for (const [k, v] of Object.entries(params)) {
    if (!(typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) return `params.${k} is not a number, string or boolean`;
  }
  if (typeof l.fold !== 'number' || !Number.isInteger(l.fold) || l.fold < 0 || l.fold >= foldCount) return `fold is not an integer from 0 to ${foldCount - 1}`;
  if (l.task !== taskKey(params as Params, l.fold)) return 'task does not match its params and fold';
  return undefined;
}

/**
 * Read checkpoint files written by the sweep `header` describes (any other is refused with a UsageError) and keep
 * the successful tasks whose config and fold are in the current sweep. A line cut off by a crash is skipped with
 * a warning; so is every line that does not pass validation (counted, with the first few reasons).
 */
export function readCheckpoints(files: readonly string[], header: CheckpointHeader, configs: readonly Params[], foldCount: number): ResumeState {
  const index = new Map<string, number>();
  configs.forEach((p, c) => index.set(configKey(p), c));
  const seen = new Set<string>();
  const done: TaskOutcome[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (text.trim() === '') continue;
    checkHeader(file, text, header);
    const lines = text.split('\n');
    const bad: string[] = [];
    lines.forEach((raw, n) => {
      if (n === 0 || raw.trim() === '') return;
      let line: unknown;
      try {
        line = JSON.parse(raw);
      } catch {
        if (n === lines.length - 1) warnings.push(`${file}:${n + 1}: partial last line (cut off by a crash) ignored`);
        else bad.push(`line ${n + 1}: not JSON`);
        return;
      }
      const problem = lineProblem(line, foldCount);
      const fields = problem === undefined ? parseTaskFields(line) : { problem };
      if ('problem' in fields) {
        bad.push(`line ${n + 1}: ${fields.problem}`);
        return;
      }
      const l = line as CheckpointLine;
      const c = index.get(configKey(l.params));
      if (c === undefined || fields.record.status !== 'ok') return;
      const key = `${c}:${l.fold}`;
      if (seen.has(key)) return;
      seen.add(key);
      done.push({ config: c, fold: l.fold, status: 'ok', metrics: fields.record.metrics, fitMs: fields.record.fitMs, predictMs: fields.record.predictMs, ...(fields.record.diagnostics ? { diagnostics: fields.record.diagnostics } : {}) });
    });
    if (bad.length > 0) {
      const shown = bad.slice(0, 3).join('; ');
      warnings.push(`${file}: ${bad.length} invalid line${bad.length === 1 ? '' : 's'} skipped (${shown}${bad.length > 3 ? '; …' : ''}); their tasks run again`);
    }
  }
  return { done, warnings, files: [...files] };
}

/** Every checkpoint in `dir` written by a sweep with the same base id (any grid). */
export function checkpointsFor(id: CheckpointIdentity, dir = '.sweep', base = baseId(id)): string[] {
  if (!existsSync(dir)) return [];
  const prefix = `${base}-`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl'))
    .map((f) => join(dir, f));
}
