/**
 * A live progress line on stderr while a sweep runs:
 *   ⠋ ━━━━━━━━━━──────────  12/45 fits · 0:07 · ETA 8 s · best r2 0.4213 (numTrees=50 maxDepth=8)
 * Only when stderr is an interactive terminal: not in CI, not with --quiet, and not on a terminal reporting 0
 * columns (ora then spins at 100% CPU). Where stdout goes does not matter (`--format json > r.json` still shows
 * progress; the line is erased before a report reaches the same terminal). Otherwise every method is a no-op and
 * nothing reaches stderr, so logs and pipes stay clean. `line` (--verbose: one line per finished trial) prints
 * above the bar, or alone when there is none. ora is imported lazily, on `start`, so `sweep --help` does not
 * pay for it; repaints are throttled to 10 a second because a fast sweep finishes thousands of tasks a second,
 * and the line is cut to the terminal's width. `stop()` is idempotent and the object is disposable
 * (`using progress = new Progress(...)`), so the line ends on every path.
 */
import { performance } from 'node:perf_hooks';
import { formatEta, truncate } from '../util/format.js';

/** What Progress needs of a stream (process.stderr satisfies it; tests pass a fake). */
export interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Default process.env (CI, NO_COLOR). */
  env?: NodeJS.ProcessEnv;
  /** --quiet. */
  quiet?: boolean;
  /** What is counted; default "fits". */
  unit?: string;
  /** Fewest ms between two repaints (default 100: at most 10 a second). */
  minIntervalMs?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

/** The rule for showing a spinner at all, as a pure function of the options. */
export function progressEnabled(opts: Pick<ProgressOptions, 'stream' | 'env' | 'quiet'> = {}): boolean {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  if (opts.quiet) return false;
  if (env.CI !== undefined && env.CI !== '') return false;
  return stream.isTTY === true && (stream.columns ?? 0) > 0;
}

/** "12/45 fits · 1 failed · 0:06 · ETA 8 s": elapsed time, and the ETA from the mean rate so far. */
export function progressText(done: number, failed: number, total: number, elapsedMs: number, unit = 'fits'): string {
  let text = `${done}/${total} ${unit}`;
  if (failed > 0) text += ` · ${failed} failed`;
  if (elapsedMs >= 1000) text += ` · ${formatClock(elapsedMs)}`;
  if (done > 0 && done < total && elapsedMs > 0) text += ` · ETA ${formatEta(((total - done) * elapsedMs) / done)}`;
  return text;
}

/** Elapsed time as a clock: "0:07", "12:30", "1:02:03". */
export function formatClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** A bar of `width` cells, `done / total` of them full: "━━━━━━──────". */
export function progressBar(done: number, total: number, width = 20): string {
  const full = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : 0;
  return '━'.repeat(full) + '─'.repeat(width - full);
}

/** `text` cut to `columns` characters (an ellipsis marks the cut): util/format.ts truncate. */
export const fitWidth = truncate;

interface Spinner {
  text: string;
  start(): unknown;
  stop(): unknown;
  clear(): unknown;
  render(): unknown;
}

export class Progress implements Disposable, AsyncDisposable {
  readonly enabled: boolean;
  readonly #stream: ProgressStream;
  readonly #noColor: boolean;
  readonly #unit: string;
  readonly #minInterval: number;
  readonly #now: () => number;
  #spinner: Spinner | undefined;
  #stopped = false;
  #started = false;
  #startedAt = 0;
  #total = 0;
  #done = 0;
  #failed = 0;
  #best: string | undefined;
  #lastPaint = -Infinity;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: ProgressOptions = {}) {
    this.enabled = progressEnabled(opts);
    this.#stream = opts.stream ?? process.stderr;
    this.#noColor = Boolean((opts.env ?? process.env).NO_COLOR);
    this.#unit = opts.unit ?? 'fits';
    this.#minInterval = opts.minIntervalMs ?? 100;
    this.#now = opts.now ?? (() => performance.now());
  }

  /**
   * Show the spinner for `total` tasks. Resolves once it is on screen (or at once when disabled); never
   * rejects: a spinner that cannot load is not worth failing a sweep for, so callers need not await it.
   */
  async start(total: number): Promise<void> {
    if (!this.enabled || this.#started || this.#stopped) return;
    this.#started = true;
    this.#total = total;
    this.#startedAt = this.#now();
    try {
      const { default: ora } = await import('ora');
      if (this.#stopped) return; // stopped while ora was loading
      this.#spinner = ora({
        stream: this.#stream,
        text: this.#text(),
        isEnabled: true,
        discardStdin: false, // the runner handles Ctrl-C itself; raw stdin would swallow it
        color: this.#noColor ? false : 'cyan',
      });
      this.#spinner.start();
      this.#lastPaint = this.#now();
    } catch {
      // no spinner, the sweep goes on
    }
  }

  /** The text on screen now, undefined when no spinner shows (disabled, not started yet, or stopped). */
  get text(): string | undefined {
    return this.#spinner?.text;
  }

  /** `done` tasks finished so far, failed ones included; `failed` of them failed. */
  tick(done: number, failed = 0): void {
    if (!this.enabled || this.#stopped) return;
    this.#done = done;
    this.#failed = failed;
    if (!this.#spinner || this.#timer) return; // painted when ora arrives, or by the pending timer
    const wait = this.#lastPaint + this.#minInterval - this.#now();
    if (wait <= 0) this.#paint();
    else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#paint();
      }, wait);
      this.#timer.unref();
    }
  }

  /** The best so far, shown after the counts ("best r2 0.4213 (numTrees=50)"); repainted with the next tick. */
  best(text: string): void {
    if (!this.enabled || this.#stopped) return;
    this.#best = text;
  }

  /**
   * A line of its own on the stream (--verbose's line per trial): above the bar while one shows, alone
   * otherwise. Written whenever the stream takes text (a pipe, a log): it was asked for.
   */
  line(text: string): void {
    if (this.#spinner && !this.#stopped) {
      this.#spinner.clear();
      this.#stream.write(`${text}\n`);
      this.#spinner.render();
      return;
    }
    this.#stream.write(`${text}\n`);
  }

  /** Remove the spinner; safe to call any number of times, before or after `start`. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#spinner?.stop();
    this.#spinner = undefined;
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.stop();
  }

  #paint(): void {
    if (!this.#spinner || this.#stopped) return;
    this.#spinner.text = this.#text();
    this.#lastPaint = this.#now();
  }

  #text(): string {
    const counts = progressText(this.#done, this.#failed, this.#total, this.#now() - this.#startedAt, this.#unit);
    const text = `${progressBar(this.#done, this.#total)}  ${counts}${this.#best !== undefined ? ` · ${this.#best}` : ''}`;
    // The spinner's glyph and a space come before the text; a line longer than the terminal would wrap and repeat.
    return fitWidth(text, Math.max(10, (this.#stream.columns ?? 80) - 3));
  }
}
