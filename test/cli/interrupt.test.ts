/**
 * Nothing lost: a sweep stopped with SIGINT writes a partial report marked interrupted, exits 130, keeps a
 * checkpoint of whole lines, and `--resume` finishes it with results identical to an uninterrupted run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/sweep.js');
const ARGS = ['run', '--data', 'friedman1:rows=20000', '--trees', '12,13,14,15,16,17,18,19', '--max-depth', '8', '--folds', '2', '--workers', '1', '--format', 'json', '--quiet'];

function fresh(): string {
  return mkdtempSync(join(tmpdir(), 'sweep-int-'));
}

function metricsByConfig(json: string): Record<string, unknown> {
  const r = JSON.parse(json);
  const out: Record<string, unknown> = {};
  for (const t of r.trials) out[JSON.stringify(t.params)] = t.folds.map((f: { fold: number; metrics: unknown }) => [f.fold, f.metrics]);
  return out;
}

function checkpointLines(dir: string): number {
  const d = join(dir, '.sweep');
  if (!existsSync(d)) return 0;
  // Task lines: every line but the header (the first line, the sweep's identity).
  // Checkpoints only (.jsonl): the sweep's history record (summary, result) sits beside them.
  return readdirSync(d).filter((f) => f.endsWith('.jsonl')).reduce((n, f) => n + readFileSync(join(d, f), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('{"header"')).length, 0);
}

describe('interrupt and resume', () => {
  it('SIGINT → partial report, exit 130; --resume equals an uninterrupted run', async () => {
    const full = spawnSync('node', [BIN, ...ARGS, '--no-checkpoint'], { cwd: fresh(), encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(full.status).toBe(0);
    const expected = metricsByConfig(full.stdout);
    expect(Object.keys(expected)).toHaveLength(8);

    const dir = fresh();
    const child = spawn('node', [BIN, ...ARGS], { cwd: dir, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Wait for a few finished tasks, then interrupt.
    for (let i = 0; i < 600 && checkpointLines(dir) < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(checkpointLines(dir)).toBeGreaterThanOrEqual(3);
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT received/);
    const partial = JSON.parse(stdout);
    expect(partial.interrupted).toBe(true);
    expect(partial.tasks.ok).toBeLessThan(16);
    expect(partial.tasks.ok).toBeGreaterThanOrEqual(3);
    // Class 25 of the hostile review: unfinished configs are "interrupted", never "failed".
    expect(partial.trials.filter((t: { status: string }) => t.status === 'failed')).toEqual([]);
    expect(partial.trials.some((t: { status: string }) => t.status === 'interrupted')).toBe(true);
    const saved = checkpointLines(dir);
    expect(saved).toBeGreaterThanOrEqual(partial.tasks.ok);

    const resumed = spawnSync('node', [BIN, ...ARGS.filter((a) => a !== '--quiet'), '--resume'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming: ${saved} of 16 fits already done`));
    const r = JSON.parse(resumed.stdout);
    expect(r.interrupted).toBeUndefined();
    expect(r.tasks).toEqual({ total: 16, ok: 16, failed: 0 });
    expect(metricsByConfig(resumed.stdout)).toEqual(expected);
  });

  it('SIGTERM → exit 143; a second signal exits at once', async () => {
    for (const [signals, code] of [[['SIGTERM'], 143], [['SIGINT', 'SIGINT'], 130]] as const) {
      const dir = fresh();
      const child = spawn('node', [BIN, ...ARGS], { cwd: dir, env: { ...process.env, CI: 'true' } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      for (let i = 0; i < 600 && checkpointLines(dir) < 1; i++) await new Promise((r) => setTimeout(r, 50));
      for (const s of signals) {
        child.kill(s);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await exited).toBe(code);
      if (signals.length === 1) expect(JSON.parse(stdout).interrupted).toBe(true);
      else expect(stdout).toBe(''); // quit at once: no report, but the checkpoint holds whole lines
      const d = join(dir, '.sweep');
      for (const f of readdirSync(d).filter((n) => n.endsWith('.jsonl'))) for (const line of readFileSync(join(d, f), 'utf8').split('\n').filter(Boolean)) JSON.parse(line);
    }
  });

  it('a checkpoint cut off mid-line resumes with a warning', () => {
    const dir = fresh();
    const args = ['run', '--model', 'linear', '--reg-param', '0,1', '--folds', '3', '--format', 'json'];
    const first = spawnSync('node', [BIN, ...args], { cwd: dir, encoding: 'utf8' });
    expect(first.status).toBe(0);
    const [file] = readdirSync(join(dir, '.sweep'));
    const path = join(dir, '.sweep', file);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    // Keep the header and 4 whole task lines and half of the fifth, as a crash mid-write would.
    expect(lines[0]).toMatch(/^\{"header":\{"format":1,"tool":"sweep"/);
    writeFileSync(path, lines.slice(0, 5).join('\n') + '\n' + lines[5].slice(0, 30));
    const resumed = spawnSync('node', [BIN, ...args, '--resume'], { cwd: dir, encoding: 'utf8' });
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/partial last line \(cut off by a crash\) ignored/);
    expect(resumed.stderr).toMatch(/resuming: 4 of 6 fits already done/);
    expect(metricsByConfig(resumed.stdout)).toEqual(metricsByConfig(first.stdout));
  });
});
