/**
 * One sweep identity for everything that must recognise "the same sweep" again: checkpoints (the file prefix and
 * the header), the cluster's keys (sweep and task ids) and `sweep compare`'s check that a child process prepared
 * the same sweep. Two runs whose identities are equal make interchangeable task results:
 *   identity = (sha256 of the data's names, shape and values, model — a UDF by file name and source hash —,
 *               evaluation, seed, partitions)
 *   base id  = hash(identity)                       what a checkpoint is keyed by (any grid)
 *   sweep id = hash(strategy, identity, configs, folds)   a cluster sweep's queue and keys
 *   task id  = hash(identity, config content, fold)       a task, wherever and whenever it runs
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import type { Params } from '../models/params.js';
import { configKey } from './tasks.js';

export interface SweepIdentity {
  /** sha256 (hex) of the dataset: see dataHash. */
  dataHash: string;
  /** A built-in model kind, or "udf:<file name>#<sha256 of its source, 16 hex>". */
  model: string;
  evaluation: unknown;
  seed: number;
  partitions: number;
}

const hashes = new WeakMap<Dataset, string>();

/** sha256 of a dataset's names, shape and every value, its group column's too (computed once per Dataset object). */
export function dataHash(data: Dataset): string {
  let hex = hashes.get(data);
  if (hex === undefined) {
    const h = createHash('sha256');
    h.update(JSON.stringify({ features: data.featureNames, target: data.targetName, rows: data.rows, ...(data.classes ? { classes: data.classes } : {}), ...(data.featureInfo ? { types: data.featureInfo } : {}) }));
    h.update(new Uint8Array(data.x.buffer, data.x.byteOffset, data.x.byteLength));
    h.update(new Uint8Array(data.y.buffer, data.y.byteOffset, data.y.byteLength));
    if (data.groups) {
      const g = data.groups;
      h.update(JSON.stringify({ groups: g.column, values: g.values }));
      h.update(new Uint8Array(g.codes.buffer, g.codes.byteOffset, g.codes.byteLength));
    }
    hex = h.digest('hex');
    hashes.set(data, hex);
  }
  return hex;
}

/** The model part of the identity: an edited UDF module makes other results, so its source is hashed. */
export function modelIdentity(model: string, udfPath?: string): string {
  if (udfPath === undefined) return model;
  let source = '';
  try {
    source = createHash('sha256').update(readFileSync(udfPath)).digest('hex').slice(0, 16);
  } catch {
    source = 'unreadable';
  }
  return `udf:${basename(udfPath)}#${source}`;
}

export function sweepIdentity(data: Dataset, model: string, evaluation: unknown, seed: number, partitions: number, udfPath?: string): SweepIdentity {
  return { dataHash: dataHash(data), model: modelIdentity(model, udfPath), evaluation, seed, partitions };
}

function digest(text: string, hexChars: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hexChars);
}

function identityText(id: SweepIdentity): string {
  return JSON.stringify({ data: id.dataHash, model: id.model, evaluation: id.evaluation, seed: id.seed, partitions: id.partitions });
}

/** 16 hex digits: what makes task results interchangeable, whatever the grid. */
export function baseId(id: SweepIdentity): string {
  return digest(identityText(id), 16);
}

/** 8 hex digits of the configs, in order. */
export function gridId(configs: readonly Params[]): string {
  return digest(configs.map(configKey).join('\n'), 8);
}

/** 16 hex digits: one sweep (this strategy, identity, grid and fold count). */
export function sweepIdOf(strategy: string, id: SweepIdentity, configs: readonly Params[], foldCount: number): string {
  return digest(`${strategy}|${identityText(id)}|${foldCount}|${configs.map(configKey).join('\n')}`, 16);
}

/** "t" + 32 hex digits: one (config, fold) task of this identity (BullMQ refuses ids that parse as integers). */
export function taskIdOf(id: SweepIdentity, params: Params, fold: number): string {
  return `t${digest(`${identityText(id)}|${configKey(params)}|${fold}`, 32)}`;
}
