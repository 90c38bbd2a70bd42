/**
 * Progress as a user sees it. On a terminal (a real pseudo-terminal, made by util-linux's `script`) the bar
 * shows on stderr even when the JSON report goes to a file, with the best so far; in CI or a pipe nothing but the
 * results; --verbose adds one line per finished trial wherever stderr goes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const SCRIPT = '/usr/bin/script';
const BIN = resolve('bin/sweep.js');
const ARGS = ['run', '--trees', '10,20,50,100', '--max-depth', '4,8', '--workers', '1'];

describe('progress', () => {
  it.skipIf(!existsSync(SCRIPT))('on a terminal: a bar with counts and the best so far on stderr, while --format json goes to a file', () => {
    const dir = tempDir();
    const env = { ...process.env, CI: '', NO_COLOR: '1', TERM: 'xterm' };
    delete (env as Record<string, string | undefined>).CI;
    const cmd = `stty cols 150 rows 40; ${process.execPath} ${BIN} ${ARGS.join(' ')} --format json > out.json`;
    const r = spawnSync(SCRIPT, ['-qec', cmd, '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const screen = r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(screen).toMatch(/\d+\/40 fits/);
    expect(screen).toMatch(/best r2 0\.\d+ \(numTrees=\d+ maxDepth=\d\)/);
    expect(screen).toMatch(/━/);
    // The file holds the report and nothing else.
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).trials).toHaveLength(8);
  }, 60_000);

  it('in CI: nothing on stderr; --verbose: one line per finished trial, the report unchanged', async () => {
    const dir = tempDir();
    const quiet = await runCli([...ARGS, '--format', 'json'], dir);
    expect(quiet.stderr).toBe('');
    const verbose = await runCli([...ARGS, '--format', 'json', '--verbose', '--no-checkpoint'], dir);
    const lines = verbose.stderr.trim().split('\n');
    expect(lines).toHaveLength(8);
    for (const line of lines) expect(line).toMatch(/^trial \d {2}numTrees=\d+ maxDepth=\d {2}r2 0\.\d+ ± 0\.\d+ {2}fit [\d.]+ m?s$/);
    const scores = (json: string) => (JSON.parse(json) as { trials: { params: unknown; metrics: unknown }[] }).trials.map((t) => [t.params, t.metrics]);
    expect(scores(verbose.stdout)).toEqual(scores(quiet.stdout));
  }, 60_000);
});
