/**
 * Checkpoints: every finished task is appended to a JSON-lines file with one write() call, so completed work
 * survives a crash or Ctrl-C and `--resume` skips it. A line names its task by content (config params + fold),
 * not by position, so a resumed sweep with a changed grid picks up exactly the configs it shares with the old one.
 *
 * Default location: .sweep/<base>-<grid>.jsonl, where <base> hashes what makes results comparable (data content,
 * model, evaluation, seed, partitions) and <grid> hashes the configs. Resuming reads every checkpoint with the
 * same <base>, so the grid may change between runs.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import type { Params } from '../models/params.js';
import { configKey, taskKey, type TaskOutcome } from './tasks.js';

export interface CheckpointIdentity {
  data: Dataset;
  model: string;
  evaluation: unknown;
  seed: number;
  partitions: number;
  configs: readonly Params[];
}

/** Hash of what makes two sweeps' task results interchangeable (everything but the grid). */
export function baseId(id: CheckpointIdentity): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ features: id.data.featureNames, target: id.data.targetName, rows: id.data.rows }));
  h.update(new Uint8Array(id.data.x.buffer, id.data.x.byteOffset, id.data.x.byteLength));
  h.update(new Uint8Array(id.data.y.buffer, id.data.y.byteOffset, id.data.y.byteLength));
  h.update(JSON.stringify({ model: id.model, evaluation: id.evaluation, seed: id.seed, partitions: id.partitions }));
  return h.digest('hex').slice(0, 16);
}

export function gridId(configs: readonly Params[]): string {
  return createHash('sha256').update(configs.map(configKey).join('\n')).digest('hex').slice(0, 8);
}

/** `base` may be passed when already computed: hashing the data is the costly part. */
export function defaultCheckpointPath(id: CheckpointIdentity, dir = '.sweep', base = baseId(id)): string {
  return join(dir, `${base}-${gridId(id.configs)}.jsonl`);
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
}

export class CheckpointWriter {
  private fd: number | undefined;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  /** Append one finished task; a single write() so a crash leaves at most one partial last line. */
  append(outcome: TaskOutcome, params: Params): void {
    if (this.fd === undefined) return;
    const line: CheckpointLine = {
      task: taskKey(params, outcome.fold),
      params,
      fold: outcome.fold,
      status: outcome.status,
      ...(outcome.metrics ? { metrics: outcome.metrics as unknown as Record<string, number> } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      fitMs: outcome.fitMs,
      predictMs: outcome.predictMs,
    };
    writeSync(this.fd, JSON.stringify(line) + '\n');
  }

  close(): void {
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

/**
 * Read checkpoint files and keep the successful tasks whose config and fold are in the current sweep.
 * A line cut off by a crash (no closing newline or not JSON) is skipped with a warning.
 */
export function readCheckpoints(files: readonly string[], configs: readonly Params[], foldCount: number): ResumeState {
  const index = new Map<string, number>();
  configs.forEach((p, c) => index.set(configKey(p), c));
  const seen = new Set<string>();
  const done: TaskOutcome[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    lines.forEach((raw, n) => {
      if (raw.trim() === '') return;
      let line: CheckpointLine;
      try {
        line = JSON.parse(raw) as CheckpointLine;
      } catch {
        const last = n === lines.length - 1;
        warnings.push(`${file}:${n + 1}: ${last ? 'partial last line (cut off by a crash)' : 'unreadable line'} ignored`);
        return;
      }
      const c = index.get(configKey(line.params ?? {}));
      if (c === undefined || line.status !== 'ok' || !(line.fold >= 0 && line.fold < foldCount)) return;
      const key = `${c}:${line.fold}`;
      if (seen.has(key)) return;
      seen.add(key);
      done.push({ config: c, fold: line.fold, status: 'ok', metrics: line.metrics as TaskOutcome['metrics'], fitMs: line.fitMs, predictMs: line.predictMs });
    });
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
