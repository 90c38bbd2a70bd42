/**
 * The history of past sweeps: every run writes a summary and its result beside its checkpoint; `sweep history`
 * lists them newest first with how they ended (finished, failed, interrupted — by Ctrl-C or by a kill), `sweep show`
 * prints a past report again byte for byte in the format asked for (a killed run's rebuilt from its checkpoint), IDs abbreviate as git's, `--prune` removes old ones.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const UDF = resolve('test/fixtures/udf/misbehave.mjs');
const SMALL = ['--trees', '5,10', '--max-depth', '3', '--folds', '3', '--workers', '1'];

interface Entry {
  id: string;
  status: string;
  command: string[];
  search: string;
  model: string;
  hasResult: boolean;
  error?: string;
  trials?: { total: number; ok: number; failed: number };
}

async function history(dir: string): Promise<Entry[]> {
  const r = await runCli(['history', '--format', 'json'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Entry[];
}

function taskLines(dir: string): number {
  const d = join(dir, '.sweep');
  if (!existsSync(d)) return 0;
  return readdirSync(d)
    .filter((f) => f.endsWith('.jsonl'))
    .reduce((n, f) => n + readFileSync(join(d, f), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('{"header"')).length, 0);
}

describe('sweep history and sweep show', () => {
  it('a finished sweep: listed as finished; show prints the run\'s own report again in every format', async () => {
    const dir = tempDir();
    const json = await runCli(['run', ...SMALL, '--format', 'json'], dir);
    expect(json.code).toBe(0);
    const [entry] = await history(dir);
    expect(entry).toMatchObject({ status: 'finished', search: 'grid', model: 'rf', hasResult: true, trials: { total: 2, ok: 2, failed: 0 } });
    expect(entry.command).toEqual(['sweep', 'run', ...SMALL, '--format', 'json']);
    expect(entry.id).toMatch(/^[0-9a-f]{12}$/);
    // The run's JSON carries what made it.
    const result = JSON.parse(json.stdout);
    expect(Object.keys(result).slice(0, 4)).toEqual(['schema', 'version', 'startedAt', 'command']);
    expect(result.command).toEqual(entry.command);
    const show = await runCli(['show', entry.id.slice(0, 7), '--format', 'json'], dir);
    expect(show.code).toBe(0);
    expect(show.stdout).toBe(json.stdout);
    // Another format of the same stored result equals what a run in that format printed: the same figures.
    const table = await runCli(['show', entry.id.slice(0, 5)], dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/numTrees/);
    expect(table.stdout).toContain(`wall time`);
    const csv = await runCli(['show', entry.id, '--format', 'csv', '--folds-columns'], dir);
    expect(csv.stdout.split('\n')[0]).toContain('split2_test_r2');
    // A result file works as well as an ID.
    const file = await runCli(['run', ...SMALL, '--format', 'json', '--output', 'r.json', '--no-checkpoint'], dir);
    expect(file.code).toBe(0);
    const fromFile = await runCli(['show', 'r.json', '--format', 'json'], dir);
    expect(JSON.parse(fromFile.stdout).trials).toEqual(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).trials);
    // --no-checkpoint records nothing: still one sweep.
    expect(await history(dir)).toHaveLength(1);
  }, 120_000);

  it('a run refused by another sweep\'s checkpoint leaves that sweep\'s record as it was', async () => {
    const dir = tempDir();
    expect((await runCli(['run', ...SMALL, '--checkpoint', 'c.jsonl', '--quiet'], dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'c.summary.json'), 'utf8');
    const refused = await runCli(['run', ...SMALL, '--seed', '7', '--checkpoint', 'c.jsonl', '--quiet'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^sweep: checkpoint c\.jsonl was made by another sweep: seed 42 there, 7 here/);
    expect(readFileSync(join(dir, 'c.summary.json'), 'utf8')).toBe(before);
    const listed = await runCli(['history', '--dir', '.', '--format', 'json'], dir);
    expect((JSON.parse(listed.stdout) as Entry[]).map((e) => e.status)).toEqual(['finished']);
  }, 60_000);

  it('show equals the run for the table and CSV formats too', async () => {
    const dir = tempDir();
    const table = await runCli(['run', ...SMALL], dir);
    const [entry] = await history(dir);
    expect((await runCli(['show', entry.id], dir)).stdout).toBe(table.stdout);
    const csvDir = tempDir();
    const csv = await runCli(['run', ...SMALL, '--format', 'csv', '--folds-columns'], csvDir);
    const [c] = await history(csvDir);
    expect((await runCli(['show', c.id, '--format', 'csv', '--folds-columns'], csvDir)).stdout).toBe(csv.stdout);
  }, 120_000);

  it('a sweep with a failed trial is listed as failed with the reason; show still prints what finished', async () => {
    const dir = tempDir();
    const run = await runCli(['run', '--udf', UDF, '--param', 'mode=ok,throw', '--folds', '2', '--workers', '1', '--format', 'json'], dir);
    expect(run.code).toBe(1); // a trial failed
    const [entry] = await history(dir);
    expect(entry.status).toBe('failed');
    expect(entry.error).toMatch(/k must be odd/);
    expect(entry.trials).toMatchObject({ total: 2, ok: 1, failed: 1 });
    const show = await runCli(['show', entry.id, '--format', 'json'], dir);
    expect(show.stdout).toBe(run.stdout);
  }, 120_000);

  it('Ctrl-C: interrupted, with the partial report; a killed run: interrupted, its report rebuilt from the checkpoint', async () => {
    const args = ['run', '--data', 'friedman1:rows=40000', '--trees', '30,31,32,33,34,35,36,37', '--max-depth', '10', '--folds', '2', '--workers', '1', '--format', 'json', '--quiet'];
    for (const signal of ['SIGINT', 'SIGKILL'] as const) {
      const dir = tempDir();
      const child = spawn(process.execPath, [resolve('bin/sweep.js'), ...args], { cwd: dir, env: { ...process.env, CI: 'true' } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      for (let i = 0; i < 600 && taskLines(dir) < 2; i++) await new Promise((r) => setTimeout(r, 50));
      // While it runs, history says so.
      expect((await history(dir))[0].status).toBe('running');
      child.kill(signal);
      await exited;
      const [entry] = await history(dir);
      expect(entry.status).toBe('interrupted');
      const show = await runCli(['show', entry.id, '--format', 'json'], dir);
      if (signal === 'SIGINT') {
        expect(show.code).toBe(0);
        expect(show.stdout).toBe(stdout);
        expect(JSON.parse(show.stdout).interrupted).toBe(true);
      } else {
        // Killed before it wrote a result: the report is rebuilt from the checkpoint, marked so, and names --resume.
        expect(entry.hasResult).toBe(false);
        expect(show.code, show.stderr).toBe(0);
        const rebuilt = JSON.parse(show.stdout);
        expect(rebuilt.interrupted).toBe(true);
        expect(rebuilt.stoppedBy).toMatch(/^the run was killed before it finished \(\d+ of 16 fits in its checkpoint\); this report is rebuilt from the checkpoint, and sweep run .* --resume finishes it$/);
        expect(rebuilt.tasks.ok).toBe(taskLines(dir));
        expect(rebuilt.strategy).toBe('thread-pool');
        expect(rebuilt.trials.filter((t: { status: string }) => t.status === 'ok').every((t: { folds: unknown[] }) => t.folds.length === 2)).toBe(true);
        // What it says is what the checkpoint holds: the same fold scores an uninterrupted run gets.
        const full = JSON.parse((await runCli([...args.slice(0, -1), '--no-checkpoint'], tempDir(), 120_000)).stdout);
        type Fold = { fold: number; metrics: unknown };
        for (const t of rebuilt.trials as { params: unknown; folds: Fold[] }[]) {
          const same = (full.trials as { params: unknown; folds: Fold[] }[]).find((f) => JSON.stringify(f.params) === JSON.stringify(t.params))!;
          // A trial the kill cut short has some of its folds: each is the uninterrupted run's same fold.
          for (const f of t.folds) expect(same.folds.find((g) => g.fold === f.fold)!.metrics).toEqual(f.metrics);
        }
        // And it reads back through the schema check like any result.
        writeFileSync(join(dir, 'rebuilt.json'), show.stdout);
        expect((await runCli(['show', 'rebuilt.json', '--format', 'json'], dir)).code).toBe(0);
      }
    }
  }, 120_000);

  it('newest first; ambiguous, unknown and malformed IDs are one line and exit 2; --prune keeps the newest', async () => {
    const dir = tempDir();
    for (const trees of ['5', '6', '7']) expect((await runCli(['run', '--trees', trees, '--max-depth', '2', '--folds', '2', '--workers', '1', '--quiet'], dir)).code).toBe(0);
    const entries = await history(dir);
    expect(entries.map((e) => e.command[3])).toEqual(['7', '6', '5']);
    const table = await runCli(['history'], dir);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+started\s+status/);
    expect(table.stdout).toContain(entries[0].id.slice(0, 7));
    for (const [id, pattern] of [
      ['ffffffff', /^sweep: no sweep ffffffff in \.sweep\n/],
      ['xyz', /^sweep: "xyz" is neither a sweep ID/],
      ['nope.json', /^sweep: nope\.json: cannot read \(ENOENT\)\n$/],
    ] as const) {
      const r = await runCli(['show', id], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
    const dry = await runCli(['history', '--prune', '--keep', '1', '--dry-run'], dir);
    expect(dry.stderr.match(/would remove/g)).toHaveLength(2);
    expect(await history(dir)).toHaveLength(3);
    const pruned = await runCli(['history', '--prune', '--keep', '1'], dir);
    expect(pruned.code).toBe(0);
    const left = await history(dir);
    expect(left.map((e) => e.id)).toEqual([entries[0].id]);
    // The pruned sweeps' checkpoints went with them.
    expect(readdirSync(join(dir, '.sweep')).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
    expect((await runCli(['history', '--keep', '3'], dir)).stderr).toMatch(/^sweep: --keep, --older-than and --dry-run apply to --prune/);
    for (const args of [['show', entries[0].id, '--folds-columns'], ['run', '--trees', '5', '--folds-columns']]) {
      const r = await runCli(args, dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('sweep: --folds-columns applies to --format csv, not table\n');
    }
  }, 120_000);
});
