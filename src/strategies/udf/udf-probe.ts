/**
 * A throw-away thread that imports a user's UDF module once, so that its top-level code runs where it cannot
 * reach the driver: a `process.exit(0)` ends this thread, not the sweep; `process.chdir` is refused by Node in
 * a thread; output goes to stderr (user-output.ts). It answers what the default export is, or how loading failed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import './user-output.js';

export type ProbeReply = { ok: true; defaultType: string } | { ok: false; name: string; message: string; stack?: string };

const { url } = workerData as { url: string };
try {
  const mod = (await import(url)) as Record<string, unknown>;
  const fn = mod.default;
  const reply: ProbeReply = { ok: true, defaultType: fn === null ? 'null' : typeof fn };
  parentPort!.postMessage(reply);
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const reply: ProbeReply = { ok: false, name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
  parentPort!.postMessage(reply);
}
