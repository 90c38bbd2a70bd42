/**
 * Loading a user's `--udf` module. A probe thread imports it once before any worker starts, so a missing
 * file, a syntax error or a missing default function is a UdfLoadError (exit 2) with the file:line:col where
 * there is one, never N failed tasks. Worker threads import the same file URL again (once per thread).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UdfLoadError } from '../../errors.js';
import { Worker } from 'node:worker_threads';
import type { ProbeReply } from './udf-probe.js';

export interface LoadedUdf {
  /** Absolute path of the module file. */
  path: string;
  /** Its file: URL, what workers import. */
  url: string;
}

const HINT = 'a UDF module is ESM (.mjs or .js) with `export default function (group, ctx) { ...; return { r2 } }`; see examples/README.md';

/** Resolve and check the path; returns the absolute path. */
export function resolveUdfPath(file: string, cwd = process.cwd()): string {
  const path = resolve(cwd, file);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UdfLoadError(`--udf ${file}: no such file`, HINT);
  }
  if (!isFile) throw new UdfLoadError(`--udf ${file}: not a file`, HINT);
  if (/\.(c|m)?tsx?$/.test(path)) throw new UdfLoadError(`--udf ${file}: a TypeScript file; compile it to .js/.mjs first (e.g. npx tsc)`, HINT);
  if (!/\.(m|c)?js$/.test(path)) throw new UdfLoadError(`--udf ${file}: expected a .mjs or .js module`, HINT);
  return path;
}

/**
 * Where and why a module fails to parse, from `node --check`'s report: "<path>:LINE", the source line, a caret
 * line under the column, a blank line, then "SyntaxError: …". `import()` of an ES module leaves the location
 * out of the error (Node 20), and a bundler's loader may replace the error altogether, so on any load failure
 * we ask `node --check` — a rare path, worth one child process.
 */
export function syntaxErrorOf(report: string, path: string): { where: string; message: string } | undefined {
  const lines = report.split('\n');
  const url = pathToFileURL(path).href;
  const head = lines.findIndex((l) => l.startsWith(`${url}:`) || l.startsWith(`${path}:`));
  const line = head < 0 ? undefined : /:(\d+)$/.exec(lines[head].trim())?.[1];
  const message = lines.find((l) => /^SyntaxError: /.test(l));
  if (!line || !message) return undefined;
  const caret = lines[head + 2]?.indexOf('^') ?? -1;
  return { where: `${displayPath(path)}:${line}${caret >= 0 ? `:${caret + 1}` : ''}`, message };
}

/** How long a module's top-level code may take to load (a top-level await that never settles would hang). */
export const UDF_LOAD_TIMEOUT_MS = 30_000;

/**
 * Load the module in a throw-away worker thread (udf-probe.ts) and check its default export, so that its top-level
 * code cannot exit, chdir or print into the driver. Throws UdfLoadError.
 */
export async function loadUdfModule(file: string, cwd = process.cwd(), timeoutMs = UDF_LOAD_TIMEOUT_MS): Promise<LoadedUdf> {
  const path = resolveUdfPath(file, cwd);
  const url = pathToFileURL(path).href;
  // prepareSweep checks the module and the udf strategy checks it again: probe each version of a file once.
  const version = `${url}|${statSync(path).mtimeMs}`;
  let probed = probes.get(version);
  if (!probed) {
    probed = probe(url, timeoutMs);
    probes.set(version, probed);
  }
  const reply = await probed;
  // Node ends a thread whose top-level await can never settle with exit code 13.
  if (reply.kind === 'exit' && reply.code === 13) throw new UdfLoadError(`--udf ${file}: the module never finished loading (a top-level await that never settles)`, HINT);
  if (reply.kind === 'exit') throw new UdfLoadError(`--udf ${file}: the module ended its thread while loading (process.exit(${reply.code}) at top level?)`, HINT);
  if (reply.kind === 'timeout') throw new UdfLoadError(`--udf ${file}: the module did not finish loading in ${timeoutMs / 1000} s (a top-level await that never settles?)`, HINT);
  const r = reply.reply;
  if (!r.ok) {
    const syntax = syntaxErrorOf(checkSyntax(path), path);
    const err = Object.assign(new Error(r.message), { name: r.name, stack: r.stack });
    const where = syntax?.where ?? firstUserFrame(err, url);
    const message = syntax?.message ?? `${r.name}: ${r.message}`;
    throw new UdfLoadError(`--udf ${file}: cannot load: ${where ? `${where}: ` : ''}${message}`, HINT);
  }
  if (r.defaultType === 'undefined') throw new UdfLoadError(`--udf ${file}: the module has no default export`, HINT);
  if (r.defaultType !== 'function') throw new UdfLoadError(`--udf ${file}: the default export is ${r.defaultType}, not a function`, HINT);
  return { path, url };
}

const probes = new Map<string, Promise<ProbeOutcome>>();

type ProbeOutcome = { kind: 'reply'; reply: ProbeReply } | { kind: 'exit'; code: number } | { kind: 'timeout' };

function probe(url: string, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./udf-probe.js', import.meta.url), { workerData: { url } });
    let settled = false;
    const finish = (o: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
      void worker.terminate();
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    worker.on('message', (reply: ProbeReply) => finish({ kind: 'reply', reply }));
    worker.on('error', (err) => finish({ kind: 'reply', reply: { ok: false, name: err.name, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) } }));
    worker.on('exit', (code) => finish({ kind: 'exit', code }));
  });
}

/** `node --check` on the file: its stderr (empty when the syntax is fine). */
function checkSyntax(path: string): string {
  const r = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 });
  return r.stderr ?? '';
}

/** A path relative to the working directory when it is inside it (what an editor's terminal can open). */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The first stack frame inside the user's module, as path:line:col, or undefined. */
export function firstUserFrame(err: unknown, moduleUrl: string): string | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return undefined;
  const path = fileURLToPath(moduleUrl);
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = /((?:file:\/\/)?\/[^\s()]*?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (file === path) return `${displayPath(path)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
