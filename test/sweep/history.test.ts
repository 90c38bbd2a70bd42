/**
 * The history store's rules on their own: git-style ID prefixes (ambiguous and unknown ones refused in one line),
 * the shortest unambiguous abbreviation, what --prune takes, a summary a dead process left as "running", and
 * result files that are not results.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findHistory, listHistory, pruneCandidates, readResultFile, SUMMARY_SCHEMA, writeSummary, type HistoryEntry, type SweepSummary } from '../../dist/sweep/history.js';
import { abbreviationLength } from '../../dist/report/history.js';
import { parseAge } from '../../dist/cli/history.js';
import { commandLine } from '../../dist/cli/record.js';

function summary(id: string, startedAt: string, extra: Partial<SweepSummary> = {}): SweepSummary {
  return {
    schema: SUMMARY_SCHEMA, kind: 'sweep-summary', id, checkpoint: `.sweep/${id}.jsonl`, cwd: '/', startedAt, command: ['sweep', 'run'], version: '0', host: 'elsewhere', pid: 1,
    data: { name: 'diabetes', rows: 442 }, model: 'rf', search: 'grid', metric: 'r2', direction: 'max', fits: 5, status: 'finished', ...extra,
  };
}
const entry = (s: SweepSummary): HistoryEntry => ({ summary: s, file: `${s.id}.summary.json`, status: s.status });

describe('history IDs', () => {
  const entries = [entry(summary('abc123000000', '2026-01-02T00:00:00Z')), entry(summary('abc124000000', '2026-01-01T00:00:00Z'))];
  it('a unique prefix names one sweep; an ambiguous or unknown one is refused', () => {
    expect(findHistory(entries, 'abc123').summary.id).toBe('abc123000000');
    expect(() => findHistory(entries, 'abc12')).toThrow('sweep ID abc12 is ambiguous: abc123000000, abc124000000');
    expect(() => findHistory(entries, 'ffff')).toThrow('no sweep ffff in .sweep');
    expect(() => findHistory(entries, 'ab')).toThrow('is not a sweep ID');
  });
  it('abbreviates at 7 digits, or more where two share 7', () => {
    expect(abbreviationLength(['abc1230', 'def4560'].map((s) => `${s}00000`))).toBe(7);
    expect(abbreviationLength(['abc123450000', 'abc123460000'])).toBe(8);
  });
});

describe('--prune', () => {
  it('keeps the newest and anything younger than --older-than, never a running sweep', () => {
    const now = Date.parse('2026-02-01T00:00:00Z');
    const list = [
      entry(summary('a00000000000', '2026-01-31T00:00:00Z')),
      entry(summary('b00000000000', '2026-01-20T00:00:00Z', { status: 'running' })),
      entry(summary('c00000000000', '2026-01-10T00:00:00Z')),
    ];
    expect(pruneCandidates(list, 1, undefined, now).map((e) => e.summary.id)).toEqual(['c00000000000']);
    expect(pruneCandidates(list, 10, parseAge('5d'), now).map((e) => e.summary.id)).toEqual(['c00000000000']);
    expect(pruneCandidates(list, 0, undefined, now).map((e) => e.summary.id)).toEqual(['a00000000000', 'c00000000000']);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(() => parseAge('soon')).toThrow('--older-than must be an age');
  });
});

describe('the store', () => {
  it('lists newest first; a "running" summary of a process that is gone reads as interrupted; bad files are skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-hist-'));
    // A process id that cannot be alive (above Linux's pid_max), on this host.
    writeSummary({ ...summary('a00000000000', '2026-01-01T00:00:00Z'), checkpoint: join(dir, 'a.jsonl'), status: 'running', host: hostname(), pid: 2 ** 22 + 1 });
    writeSummary({ ...summary('b00000000000', '2026-01-02T00:00:00Z'), checkpoint: join(dir, 'b.jsonl') });
    writeFileSync(join(dir, 'c.summary.json'), '{"not": "a summary"}');
    const skipped: string[] = [];
    const list = listHistory(dir, (file, why) => skipped.push(`${file}: ${why}`));
    expect(list.map((e) => [e.summary.id, e.status])).toEqual([['b00000000000', 'finished'], ['a00000000000', 'interrupted']]);
    expect(skipped).toEqual([`${join(dir, 'c.summary.json')}: not a sweep summary`]);
    writeFileSync(join(dir, 'r.json'), '{"trials": 3}');
    expect(() => readResultFile(join(dir, 'r.json'))).toThrow('not a sweep result');
    // A record with every field but one of the wrong type is refused by the JSON Schema, naming the field.
    const almost = { strategy: 's', model: 'rf', data: { name: 'x', rows: 1, features: [], target: 'y' }, evaluation: { folds: 5 }, seed: 1, workers: 1, partitions: 1, metric: 'r2', wallMs: 'fast', taskMs: 0, speedup: 0, tasks: { total: 0, ok: 0, failed: 0 }, bytesShipped: 0, trials: [], best: null };
    writeFileSync(join(dir, 'r2.json'), JSON.stringify(almost));
    expect(() => readResultFile(join(dir, 'r2.json'))).toThrow('not a valid sweep result: /wallMs must be number');
    writeFileSync(join(dir, 'r3.json'), JSON.stringify({ ...almost, wallMs: 5 }));
    expect(readResultFile(join(dir, 'r3.json')).wallMs).toBe(5);
  });

  it('keeps no password of a URL in the command line it records', () => {
    expect(commandLine(['node', 'sweep', 'run', '--cluster', 'redis://:s3cret@h:6379/0', '--cluster=rediss://bob:pw@h', 'redis://h:1'])).toEqual(['sweep', 'run', '--cluster', 'redis://:***@h:6379/0', '--cluster=rediss://bob:***@h', 'redis://h:1']);
  });
});
