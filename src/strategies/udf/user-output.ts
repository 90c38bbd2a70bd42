/**
 * A user's UDF code runs in worker threads, and a worker's stdout is the driver's stdout: a `console.log` in a
 * UDF would land in the middle of a JSON report. Importing this module in a thread (before the user's module)
 * sends everything the thread writes to stdout to stderr instead, each line prefixed "udf: ", and bounded: past
 * MAX_USER_OUTPUT bytes per thread the rest is dropped with one notice, so a chatty UDF cannot flood a terminal.
 */
export const MAX_USER_OUTPUT = 64 * 1024;

let written = 0;
let atLineStart = true;
let cut = false;

function redirect(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
  const done = typeof encoding === 'function' ? encoding : typeof callback === 'function' ? callback : undefined;
  let text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
  if (!cut && written + text.length > MAX_USER_OUTPUT) {
    text = `${text.slice(0, Math.max(0, MAX_USER_OUTPUT - written))}\n[further UDF output suppressed: over ${MAX_USER_OUTPUT / 1024} KiB]\n`;
    cut = true;
  } else if (cut) text = '';
  written += text.length;
  if (text !== '') {
    const prefixed = text.replace(/\n(?=.)/g, '\nudf: ');
    process.stderr.write((atLineStart ? 'udf: ' : '') + prefixed);
    atLineStart = text.endsWith('\n');
  }
  if (done) queueMicrotask(() => (done as (err?: Error | null) => void)(null));
  return true;
}

process.stdout.write = redirect as typeof process.stdout.write;
