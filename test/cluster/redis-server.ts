/**
 * A throw-away redis-server for the cluster tests: 127.0.0.1 on a free port (found by binding port 0 first),
 * no persistence (--save "" --appendonly no), its own temp dir; `stop()` kills it and removes the dir.
 * Also helpers to spawn `sweep worker` processes from the build and wait for lines they print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'sweep.js');

export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    let buf = '';
    s.setTimeout(500, () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) {
        s.destroy();
        resolve(buf.startsWith('+PONG') || buf.startsWith('-NOAUTH')); // up (a password-protected server refuses PING)
      }
    });
  });
}

export async function startRedis(extra: string[] = []): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-redis-'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], { stdio: 'ignore' });
    let exited = false;
    proc.once('exit', () => (exited = true));
    for (let i = 0; i < 100 && !exited; i++) {
      if (await ping(port)) {
        return {
          port,
          url: `redis://127.0.0.1:${port}/0`,
          stop: async () => {
            await kill(proc, 'SIGTERM');
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await kill(proc, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('could not start redis-server (is it installed? apt-get install -y redis-server)');
}

export function kill(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

/** A `sweep worker` (or any sweep command) process whose stderr is collected; `waitFor` resolves on a matching line. */
export interface Spawned {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

export function spawnSweep(args: string[], env: Record<string, string> = {}): Spawned {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...watchers]) {
      const m = err.match(w.pattern);
      if (m) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    check();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${err}`)), timeoutMs);
        watchers.push({ pattern, resolve: (m) => (clearTimeout(timer), resolve(m)) });
        check();
      });
    },
  };
}

/**
 * A redis-server for one test file: started before its tests with a client connected to it, and stopped after
 * them together with every process spawned through `spawn`. Read `server` and `redis` inside tests only.
 */
export function redisForTests(): { readonly server: RedisServer; readonly redis: Redis; spawn(args: string[], env?: Record<string, string>): Spawned; spawned: Spawned[] } {
  let server: RedisServer | undefined;
  let redis: Redis | undefined;
  const spawned: Spawned[] = [];
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await Promise.all(spawned.map((w) => kill(w.proc, 'SIGKILL')));
    redis?.disconnect();
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    get redis() {
      return redis!;
    },
    spawn(args, env = {}) {
      const s = spawnSweep(args, env);
      spawned.push(s);
      return s;
    },
    spawned,
  };
}
