// Running the real CLI (bin/sweep.js over the built dist) as a child process, the way a user does: CI=true so no
// spinner, cwd a temporary directory so checkpoints (.sweep/) and outputs never land in the repository.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve('bin/sweep.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'sweep-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** `node bin/sweep.js ...args` in `cwd`; never rejects (a failing exit is data). Killed after `timeoutMs`. */
export function runCli(args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<CliRun> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        const code = e === null ? 0 : typeof e.code === 'number' ? e.code : null;
        done({ code, signal: e?.signal ?? null, stdout, stderr, ms: performance.now() - t0 });
      },
    );
  });
}

/** Lines of a stream's text without the final newline's empty tail. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
