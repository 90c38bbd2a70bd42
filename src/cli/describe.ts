/**
 * `sweep run --describe`: load the data as a sweep would (the same flags: --target, --ignore, --categorical,
 * --missing, --fold-col/--group-col, …), settle the task, and print what each column became instead of sweeping.
 */
import { describeDataset, type ColumnDescription } from '../data/describe.js';
import { loadData } from '../data/load.js';
import { resolveTask } from '../data/task.js';
import type { SweepInput } from '../api/run.js';
import { DEFAULT_SEED, loadOptionsOf } from '../api/load-options.js';
import { isStdout, writeReport } from '../report/render.js';
import { writingTo } from './outputs.js';
import { EXIT_OK } from '../errors.js';

export async function describeAction(options: SweepInput, format: string, output: string | undefined): Promise<number> {
  // Loaded as `sweep run` loads it (the same options and seed), so it describes the table a run would sweep.
  const loaded = await loadData(typeof options.data === 'string' ? options.data : 'diabetes', loadOptionsOf(options, options.seed ?? DEFAULT_SEED));
  for (const w of loaded.warnings) process.stderr.write(`sweep: ${w}\n`);
  const { data, task } = resolveTask(loaded.data, options.task ?? 'auto');
  const rows = describeDataset(data, task);
  const text = format === 'json' ? `${JSON.stringify({ data: data.name, rows: data.rows, dropped: loaded.droppedRows, columns: rows }, null, 2)}\n` : renderText(data.name, data.rows, rows);
  if (isStdout(output)) await writeReport(text, output);
  else await writingTo(output!, 'output', () => writeReport(text, output));
  return EXIT_OK;
}

function renderText(name: string, rows: number, columns: readonly ColumnDescription[]): string {
  const cells = columns.map((c) => [
    c.name,
    c.type,
    String(c.distinct),
    String(c.missing),
    c.top ? c.top.map((t) => `${t.value} (${t.rows})`).join(', ') + (c.distinct > c.top.length ? ', …' : '') : c.min !== undefined ? `${fmt(c.min)} … ${fmt(c.max!)}` : '',
  ]);
  const head = ['column', 'type', 'distinct', 'missing', 'range or top values'];
  const width = head.map((h, k) => Math.max(h.length, ...cells.map((r) => r[k].length)));
  const line = (r: string[]) => r.map((v, k) => (k === 2 || k === 3 ? v.padStart(width[k]) : k === r.length - 1 ? v : v.padEnd(width[k]))).join('  ').trimEnd();
  return [`${name}: ${rows} rows`, line(head), line(width.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

function fmt(v: number | string): string {
  return typeof v === 'string' ? v : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}
