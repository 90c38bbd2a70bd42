/**
 * A live "12/45 fits · ETA 8 s" spinner on stderr while a sweep runs. Only on an interactive terminal: not
 * in CI, not with --quiet, not when JSON goes to stdout, and not on a terminal reporting 0 columns (ora then
 * spins at 100% CPU). Otherwise every method is a no-op and nothing reaches stderr, so logs and pipes stay
 * clean. ora is imported lazily, on `start`, so `sweep --help` does not pay for it; updates are throttled
 * to 10 a second because a fast sweep finishes thousands of tasks a second. `stop()` is idempotent and the
 * object is disposable (`using progress = new Progress(...)`), so the spinner ends on every path.
 */
import { performance } from 'node:perf_hooks';
import { formatEta } from '../util/format.js';

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
  /** True when the report is JSON written to stdout: a spinner next to it would confuse a reader of both. */
  jsonToStdout?: boolean;
  /** What is counted; default "fits". */
  unit?: string;
  /** Fewest ms between two repaints (default 100: at most 10 a second). */
  minIntervalMs?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

/** The rule for showing a spinner at all, as a pure function of the options. */
export function progressEnabled(opts: Pick<ProgressOptions, 'stream' | 'env' | 'quiet' | 'jsonToStdout'> = {}): boolean {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  if (opts.quiet || opts.jsonToStdout) return false;
  if (env.CI !== undefined && env.CI !== '') return false;
  return stream.isTTY === true && (stream.columns ?? 0) > 0;
}

/** "12/45 fits · 1 failed · ETA 8 s": the ETA from the mean rate so far. */
export function progressText(done: number, failed: number, total: number, elapsedMs: number, unit = 'fits'): string {
  let text = `${done}/${total} ${unit}`;
  if (failed > 0) text += ` · ${failed} failed`;
  if (done > 0 && done < total && elapsedMs > 0) text += ` · ETA ${formatEta(((total - done) * elapsedMs) / done)}`;
  return text;
}

interface Spinner {
  text: string;
  start(): unknown;
  stop(): unknown;
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
    return progressText(this.#done, this.#failed, this.#total, this.#now() - this.#startedAt, this.#unit);
  }
}
