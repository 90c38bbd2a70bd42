import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress, progressEnabled, progressText } from '../../dist/report/progress.js';

/** A stream that records what is written to it, posing as a terminal when asked. */
class FakeStream extends Writable {
  chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns: number,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(String(chunk));
    cb();
  }
  cursorTo(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  get written(): string {
    return this.chunks.join('');
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('progressEnabled', () => {
  const tty = new FakeStream(true, 80);
  it('shows a spinner only on a terminal with columns, outside CI, not quiet, not JSON to stdout', () => {
    expect(progressEnabled({ stream: tty, env: {} })).toBe(true);
    expect(progressEnabled({ stream: new FakeStream(false, 80), env: {} })).toBe(false);
    expect(progressEnabled({ stream: new FakeStream(true, 0), env: {} })).toBe(false);
    expect(progressEnabled({ stream: tty, env: { CI: 'true' } })).toBe(false);
    expect(progressEnabled({ stream: tty, env: { CI: '1' } })).toBe(false);
    expect(progressEnabled({ stream: tty, env: {}, quiet: true })).toBe(false);
    expect(progressEnabled({ stream: tty, env: {}, jsonToStdout: true })).toBe(false);
  });
});

describe('progressText', () => {
  it('counts, names failures and estimates the rest from the mean rate', () => {
    expect(progressText(0, 0, 45, 0)).toBe('0/45 fits');
    expect(progressText(12, 0, 45, 6000)).toBe('12/45 fits · ETA 17 s'); // 33 × 0.5 s = 16.5 s
    expect(progressText(12, 2, 45, 60_000)).toBe('12/45 fits · 2 failed · ETA 2 min 45 s');
    expect(progressText(45, 0, 45, 6000)).toBe('45/45 fits');
  });
});

describe('Progress', () => {
  it('writes nothing when stderr is not a terminal', async () => {
    const stream = new FakeStream(false, 80);
    const p = new Progress({ stream, env: {} });
    expect(p.enabled).toBe(false);
    await p.start(3);
    p.tick(1, 0);
    p.tick(3, 1);
    p.stop();
    p.stop();
    expect(stream.chunks).toEqual([]);
    expect(p.text).toBeUndefined();
  });

  it('writes nothing in CI even on a terminal', async () => {
    const stream = new FakeStream(true, 80);
    const p = new Progress({ stream, env: { CI: 'true' } });
    await p.start(3);
    p.tick(2, 0);
    p[Symbol.dispose]();
    expect(stream.chunks).toEqual([]);
  });

  it('spins on a terminal, repaints at most every 100 ms, and goes away on stop', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    let now = 0;
    const stream = new FakeStream(true, 80);
    const p = new Progress({ stream, env: { NO_COLOR: '1' }, now: () => now });
    await p.start(10);
    expect(p.text).toBe('0/10 fits');
    expect(stream.written).toContain('0/10 fits');

    now = 1000;
    p.tick(1, 0); // 1000 ms since the last paint: painted at once
    expect(p.text).toBe('1/10 fits · ETA 9 s');
    now = 1050;
    p.tick(2, 1); // 50 ms later: held back
    expect(p.text).toBe('1/10 fits · ETA 9 s');
    now = 1100;
    vi.advanceTimersByTime(50);
    expect(p.text).toBe('2/10 fits · 1 failed · ETA 5 s'); // 8 × 550 ms = 4.4 s, rounded up

    p.stop();
    expect(p.text).toBeUndefined();
    const before = stream.chunks.length;
    p.tick(5, 1);
    p.stop();
    await p[Symbol.asyncDispose]();
    vi.advanceTimersByTime(1000);
    expect(stream.chunks.length).toBe(before);
  });

  it('never shows a spinner stopped while ora was still loading', async () => {
    const stream = new FakeStream(true, 80);
    const p = new Progress({ stream, env: {} });
    const started = p.start(10);
    p.stop();
    await started;
    expect(p.text).toBeUndefined();
    expect(stream.chunks).toEqual([]);
  });
});
