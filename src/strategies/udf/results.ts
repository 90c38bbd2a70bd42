/**
 * The other direction of the transport: a task's result is a one-row Arrow table (config, fold, fitMs,
 * predictMs, then one Float64 column per metric) sent back as IPC bytes, and the rows of a sweep are
 * concatenated into one Arrow table. Validation of what a UDF returned lives here too, so a wrong shape is
 * reported with what was actually returned.
 */
import * as arrow from 'apache-arrow';
import type { TaskDiagnostics } from '../../eval/diagnostics.js';
import { MAX_METRIC_KEYS } from '../../eval/metrics.js';
import { ownBuffer } from './groups.js';
import { RESERVED_RESULT_COLUMNS, type UdfResult } from './types.js';

export interface ResultRow {
  config: number;
  fold: number;
  fitMs: number;
  predictMs: number;
  metrics: UdfResult;
  /** Built-in models: the task's diagnostics (carried as a JSON text column "diagnostics"). */
  diagnostics?: TaskDiagnostics;
}

/** A UDF returned something that is not an object of finite numbers containing the ranking metric. */
export class UdfResultError extends Error {
  readonly code = 'E_UDF_RESULT';
  constructor(message: string) {
    super(message);
    this.name = 'UdfResultError';
  }
}

/** Short, readable text of any value, for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  let text: string;
  try {
    text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Check a UDF's return value; returns it as metrics or throws UdfResultError naming what came back. */
export function checkUdfResult(value: unknown, metric: string): UdfResult {
  const expect = `expected an object of finite numbers such as { ${metric}: 0.42 }`;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new UdfResultError(`UDF returned ${describeValue(value)}; ${expect}`);
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_METRIC_KEYS) throw new UdfResultError(`UDF returned ${keys.length} metrics; at most ${MAX_METRIC_KEYS} are allowed (${keys.slice(0, 5).join(', ')}, …)`);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) throw new UdfResultError(`UDF returned an empty object; ${expect}`);
  const bad = entries.filter(([, v]) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad.length > 0) {
    const list = bad.map(([k, v]) => `${k}: ${describeValue(v)}`).join(', ');
    throw new UdfResultError(`UDF returned non-numeric or non-finite values (${list}); ${expect}`);
  }
  const reserved = entries.find(([k]) => RESERVED_RESULT_COLUMNS.includes(k));
  if (reserved) throw new UdfResultError(`UDF returned a metric named "${reserved[0]}", a name reserved for the result table (${RESERVED_RESULT_COLUMNS.join(', ')})`);
  if (!Object.hasOwn(value, metric)) {
    throw new UdfResultError(`UDF result has no "${metric}", the ranking metric (it returned ${entries.map(([k]) => k).join(', ')}); return it or choose another --metric`);
  }
  return Object.fromEntries(entries) as UdfResult;
}

function rowsTable(rows: readonly ResultRow[], metricNames: readonly string[]): arrow.Table {
  const col = (f: (r: ResultRow) => number) => Float64Array.from(rows, f);
  const children: Record<string, arrow.Vector> = {
    config: arrow.makeVector(Int32Array.from(rows, (r) => r.config)),
    fold: arrow.makeVector(Int32Array.from(rows, (r) => r.fold)),
    fitMs: arrow.makeVector(col((r) => r.fitMs)),
    predictMs: arrow.makeVector(col((r) => r.predictMs)),
  };
  for (const m of metricNames) children[m] = arrow.makeVector(col((r) => (m in r.metrics ? r.metrics[m] : NaN)));
  if (rows.some((r) => r.diagnostics !== undefined)) children.diagnostics = arrow.vectorFromArray(rows.map((r) => (r.diagnostics !== undefined ? JSON.stringify(r.diagnostics) : null)), new arrow.Utf8());
  return new arrow.Table(children);
}

/** One result row as transferable Arrow IPC stream bytes. */
export function encodeResult(row: ResultRow): Uint8Array<ArrayBuffer> {
  return ownBuffer(arrow.tableToIPC(rowsTable([row], Object.keys(row.metrics)), 'stream'));
}

export function decodeResultTable(bytes: Uint8Array): arrow.Table {
  return arrow.tableFromIPC(bytes);
}

/** The single row of a decoded result table. */
export function resultRowOf(table: arrow.Table): ResultRow {
  if (table.numRows !== 1) throw new Error(`a UDF result must have one row, got ${table.numRows}`);
  const num = (name: string) => Number(table.getChild(name)?.get(0));
  const metrics: UdfResult = {};
  for (const f of table.schema.fields) if (!RESERVED_RESULT_COLUMNS.includes(f.name)) metrics[f.name] = num(f.name);
  const text = table.getChild('diagnostics')?.get(0) as string | null | undefined;
  const diagnostics = typeof text === 'string' ? (JSON.parse(text) as TaskDiagnostics) : undefined;
  return { config: num('config'), fold: num('fold'), fitMs: num('fitMs'), predictMs: num('predictMs'), metrics, ...(diagnostics !== undefined ? { diagnostics } : {}) };
}

/**
 * All result rows in one table. Tables with the same columns are concatenated as they are (their record
 * batches reused); if UDFs returned different metric sets, the union of columns is built, NaN where absent.
 */
export function concatResults(tables: readonly arrow.Table[]): arrow.Table {
  if (tables.length === 0) return rowsTable([], []);
  const names = (t: arrow.Table) => t.schema.fields.map((f) => f.name).join('\u0000');
  const first = names(tables[0]);
  if (tables.every((t) => names(t) === first)) return new arrow.Table(tables.flatMap((t) => t.batches));
  const metricNames: string[] = [];
  for (const t of tables) for (const f of t.schema.fields) if (!RESERVED_RESULT_COLUMNS.includes(f.name) && !metricNames.includes(f.name)) metricNames.push(f.name);
  return rowsTable(tables.map(resultRowOf), metricNames);
}
