/**
 * The dataset in Redis: stored ONCE per content as Arrow IPC bytes under "sweep:data:<sha256 of the bytes>"
 * (SET NX, so two drivers with the same data write it once), and fetched by workers once per hash — never per task —
 * then kept in memory on a SharedArrayBuffer that the worker's pool threads share. The hash is checked after
 * download, so a corrupted or substituted value is refused rather than silently trained on.
 *
 * Lifetime: a set "sweep:data:<hash>:users" holds the sweeps using the dataset; a finished sweep removes itself
 * and the last one deletes the data (unless --keep). The key also carries a TTL (DATA_TTL_S, refreshed whenever a
 * sweep starts with it) so the data of a driver that died and was never resumed does not stay forever.
 */
import { BoundedCache } from '../util/cache.js';
import { createHash } from 'node:crypto';
import * as arrow from 'apache-arrow';
import type { Redis } from 'ioredis';
import { allocateDataset, column, isFeatureInfo, type Dataset, type FeatureInfo, type GroupColumn } from '../data/dataset.js';
import { ClusterError } from './connection.js';
import { dataKey, dataUsersKey } from './keys.js';

/** Seven days: long enough for any sweep, short enough that an abandoned dataset goes away. */
export const DATA_TTL_S = 7 * 24 * 3600;

const META_NAME = 'sweep.name';
const META_TARGET = 'sweep.target';
/** A classification's class names (JSON list); the target column then holds class indices. */
const META_CLASSES = 'sweep.classes';
/** The --fold-col / --group-col column: {"column": name, "values": [...]}; its Int32 column holds the codes. */
const META_GROUPS = 'sweep.groups';
/** The features' types (JSON list of FeatureInfo) when any is not numeric. */
const META_TYPES = 'sweep.types';

/** The dataset as Arrow IPC stream bytes: one Float64 column per feature, then the target; name and target in metadata. */
export function datasetToIpc(data: Dataset): Uint8Array {
  const children: Record<string, arrow.Vector> = {};
  data.featureNames.forEach((name, j) => {
    children[name] = arrow.makeVector(column(data, j));
  });
  children[data.targetName] = arrow.makeVector(data.y);
  if (data.groups) children[data.groups.column] = arrow.makeVector(data.groups.codes);
  const plain = new arrow.Table(children);
  const meta = new Map([[META_NAME, data.name], [META_TARGET, data.targetName]]);
  if (data.classes) meta.set(META_CLASSES, JSON.stringify(data.classes));
  if (data.groups) meta.set(META_GROUPS, JSON.stringify({ column: data.groups.column, values: data.groups.values }));
  if (data.featureInfo) meta.set(META_TYPES, JSON.stringify(data.featureInfo));
  const schema = new arrow.Schema(plain.schema.fields, meta);
  return arrow.tableToIPC(new arrow.Table(schema, plain.batches.map((b) => new arrow.RecordBatch(schema, b.data))), 'stream');
}

/** Back to a Dataset on one SharedArrayBuffer (ready to share with pool threads). */
export function ipcToDataset(bytes: Uint8Array): Dataset {
  const table = arrow.tableFromIPC(bytes);
  const target = table.schema.metadata.get(META_TARGET);
  const name = table.schema.metadata.get(META_NAME) ?? 'cluster';
  if (target === undefined || !table.getChild(target)) throw new Error('the stored dataset has no target column');
  const groups = storedGroups(table, table.schema.metadata.get(META_GROUPS));
  const features = table.schema.fields.map((f) => f.name).filter((n) => n !== target && n !== groups?.column);
  const classes = storedClasses(table.schema.metadata.get(META_CLASSES));
  const plain = allocateDataset(name, features, target, table.numRows, classes);
  const featureInfo = storedTypes(table.schema.metadata.get(META_TYPES), features.length);
  const data = { ...plain, ...(groups ? { groups } : {}), ...(featureInfo ? { featureInfo } : {}) };
  const copyInto = (dst: Float64Array, col: string) => {
    const vec = table.getChild(col)!;
    let at = 0;
    for (const chunk of vec.data) {
      const values = chunk.values as Float64Array;
      dst.set(values.subarray(chunk.offset, chunk.offset + chunk.length), at);
      at += chunk.length;
    }
  };
  features.forEach((f, j) => copyInto(column(data, j), f));
  copyInto(data.y, target);
  featureInfo?.forEach((t, j) => {
    if (t.kind !== 'categorical') return;
    const codes = column(data, j);
    for (let i = 0; i < data.rows; i++) if (codes[i] === codes[i] && !(Number.isInteger(codes[i]) && codes[i] >= 0 && codes[i] < t.categories.length)) throw new Error(`the stored dataset's feature "${features[j]}" row ${i} is not one of its ${t.categories.length} categories`);
  });
  if (classes) for (let i = 0; i < data.rows; i++) if (!(Number.isInteger(data.y[i]) && data.y[i] >= 0 && data.y[i] < classes.length)) throw new Error(`the stored dataset's target row ${i} is not a class index`);
  return data;
}

/** A metadata entry's JSON, or an error naming the entry. */
function metaJson(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`the stored dataset's ${what} is not JSON`);
  }
}

/** The stored group column, checked: a name, a list of values, and a code per row that indexes them. */
function storedGroups(table: arrow.Table, raw: string | undefined): GroupColumn | undefined {
  if (raw === undefined) return undefined;
  const { column, values } = (metaJson(raw, 'group column entry') ?? {}) as { column?: unknown; values?: unknown };
  if (typeof column !== 'string' || !Array.isArray(values) || !values.every((c) => typeof c === 'string')) throw new Error('the stored dataset\'s group column entry is not {column, values}');
  const vec = table.getChild(column);
  if (!vec) throw new Error(`the stored dataset has no group column "${column}"`);
  const codes = Int32Array.from({ length: vec.length }, (_, i) => Number(vec.get(i)));
  for (let i = 0; i < codes.length; i++) if (!(codes[i] >= 0 && codes[i] < values.length)) throw new Error(`the stored dataset's group row ${i} is not one of its ${values.length} values`);
  return { column, codes, values: values as string[] };
}

/** The stored feature types, checked: one {kind} per feature, a categorical one with its list of names. */
function storedTypes(raw: string | undefined, features: number): FeatureInfo[] | undefined {
  if (raw === undefined) return undefined;
  const v = metaJson(raw, 'feature types');
  if (!Array.isArray(v) || v.length !== features || !v.every(isFeatureInfo)) throw new Error(`the stored dataset's feature types are not ${features} {kind} entries`);
  return v;
}

function storedClasses(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const v = metaJson(raw, 'class list');
  if (!Array.isArray(v) || v.length < 2 || !v.every((c) => typeof c === 'string')) throw new Error('the stored dataset\'s class list is not a list of at least 2 names');
  return v as string[];
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes to store and their hash (the dataset's identity in the cluster). */
export function encodeDataset(data: Dataset): { bytes: Uint8Array; hash: string } {
  const bytes = datasetToIpc(data);
  return { bytes, hash: sha256(bytes) };
}

/** Store the bytes (once per content) and record that `sweepId` uses them. */
export async function publishDataset(redis: Redis, encoded: { bytes: Uint8Array; hash: string }, sweepId: string): Promise<void> {
  const { bytes, hash } = encoded;
  const key = dataKey(hash);
  await redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'EX', DATA_TTL_S, 'NX');
  await redis.multi().expire(key, DATA_TTL_S).sadd(dataUsersKey(hash), sweepId).expire(dataUsersKey(hash), DATA_TTL_S).exec();
}

/** A sweep is done with the dataset; the last user deletes it. Returns whether it was deleted. */
export async function releaseDataset(redis: Redis, hash: string, sweepId: string): Promise<boolean> {
  const deleted = (await redis.eval(
    `redis.call('SREM', KEYS[2], ARGV[1])
     if redis.call('SCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[1], KEYS[2]) return 1 end
     return 0`,
    2,
    dataKey(hash),
    dataUsersKey(hash),
    sweepId,
  )) as number;
  return deleted === 1;
}

/** Download and check a dataset by hash (no caching: see DatasetCache). */
export async function fetchDataset(redis: Redis, hash: string): Promise<Dataset> {
  const buf = await redis.getBuffer(dataKey(hash));
  if (buf === null) throw new ClusterError(`dataset ${hash.slice(0, 12)}… is not in Redis (the sweep finished or its data expired)`);
  const got = sha256(buf);
  if (got !== hash) throw new ClusterError(`dataset ${hash.slice(0, 12)}… failed its hash check (got ${got.slice(0, 12)}…): refusing it`);
  return ipcToDataset(buf);
}

/** A worker's datasets by hash: each downloaded once (concurrent requests share the download), a few kept. */
export class DatasetCache {
  private readonly entries: BoundedCache<Promise<Dataset>>;
  downloads = 0;

  constructor(private readonly redis: Redis, keep = 4) {
    this.entries = new BoundedCache(keep);
  }

  get(hash: string): Promise<Dataset> {
    return this.entries.load(hash, () => {
      this.downloads++;
      return fetchDataset(this.redis, hash);
    });
  }
}
