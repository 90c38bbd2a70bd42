/**
 * `sweep history`: the past sweeps of a directory, newest first — a borderless table for people, or JSON (the
 * summaries, each with its status as it reads now) for scripts. IDs are shown at 7 digits, or more where two
 * sweeps share 7, so every ID printed can be typed back to `sweep show`.
 */
import type { HistoryEntry } from '../sweep/history.js';
import { formatDuration, formatSignificant, truncate } from '../util/format.js';
import { formatParams } from '../sweep/trial-params.js';
import { BORDERLESS, loadTable } from './table.js';

/** The shortest prefix length (at least 7) that tells every ID apart. */
export function abbreviationLength(ids: readonly string[], least = 7): number {
  let n = least;
  const max = Math.max(least, ...ids.map((id) => id.length));
  while (n < max && new Set(ids.map((id) => id.slice(0, n))).size < ids.length) n++;
  return n;
}

/** "2026-12-01 22:40" in local time. */
function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export function renderHistoryJson(entries: readonly HistoryEntry[]): string {
  return JSON.stringify(entries.map((e) => ({ ...e.summary, status: e.status, hasResult: e.result !== undefined })), null, 2) + '\n';
}

export function renderHistoryTable(entries: readonly HistoryEntry[], dir: string): string {
  if (entries.length === 0) return `no sweeps recorded in ${dir}\n`;
  const TableClass = loadTable();
  const n = abbreviationLength(entries.map((e) => e.summary.id));
  const table = new TableClass({
    head: ['id', 'started', 'status', 'model', 'search', 'data', 'trials', 'best', 'wall'],
    chars: BORDERLESS,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
  });
  for (const e of entries) {
    const s = e.summary;
    const shown = s.best && s.swept !== undefined && s.swept.length > 0 ? s.swept.filter((n) => n in s.best!.params) : undefined;
    const best = s.best ? `${s.metric} ${formatSignificant(s.best.metrics[s.metric] ?? Number.NaN, 4)}  ${formatParams(s.best.params, shown)}` : '–';
    const trials = s.trials ? `${s.trials.ok}/${s.trials.total} ok` : `${s.fits} fits`;
    table.push([s.id.slice(0, n), when(s.startedAt), e.status, s.model, s.search, `${s.data.name} (${s.data.rows})`, trials, truncate(best, 60), s.wallMs !== undefined ? formatDuration(s.wallMs) : '–']);
  }
  // cli-table3 draws the rule under the header as a full row: keep it, drop the trailing spaces.
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}
