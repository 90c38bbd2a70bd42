import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitWidth, Progress, progressBar, progressEnabled, progressText } from '../../dist/report/progress.js';

/** A stream that records what is written to it, posing as a terminal when asked. */
class FakeStream extends Writable {
  chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    public columns: number,
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
  it('shows a spinner only when stderr is a terminal with columns, outside CI, not quiet (wherever stdout goes)', () => {
    expect(progressEnabled({ stream: tty, env: {} })).toBe(true);
    expect(progressEnabled({ stream: new FakeStream(false, 80), env: {} })).toBe(false);
    expect(progressEnabled({ stream: new FakeStream(true, 0), env: {} })).toBe(false);
    expect(progressEnabled({ stream: tty, env: { CI: 'true' } })).toBe(false);
    expect(progressEnabled({ stream: tty, env: { CI: '1' } })).toBe(false);
    expect(progressEnabled({ stream: tty, env: {}, quiet: true })).toBe(false);
  });
});

describe('progressText', () => {
  it('counts, names failures and estimates the rest from the mean rate', () => {
    expect(progressText(0, 0, 45, 0)).toBe('0/45 fits');
    expect(progressText(12, 0, 45, 6000)).toBe('12/45 fits · 0:06 · ETA 17 s'); // 33 × 0.5 s = 16.5 s
    expect(progressText(12, 2, 45, 60_000)).toBe('12/45 fits · 2 failed · 1:00 · ETA 2 min 45 s');
    expect(progressText(45, 0, 45, 6000)).toBe('45/45 fits · 0:06');
    expect(progressText(3, 0, 45, 3_723_000)).toMatch(/ · 1:02:03 · /);
  });

  it('draws a bar of the share done and cuts a line to the terminal', () => {
    expect(progressBar(0, 10, 10)).toBe('──────────');
    expect(progressBar(5, 10, 10)).toBe('━━━━━─────');
    expect(progressBar(10, 10, 10)).toBe('━━━━━━━━━━');
    expect(fitWidth('abcdef', 10)).toBe('abcdef');
    expect(fitWidth('abcdefghijkl', 6)).toBe('abcde…');
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
    const stream = new FakeStream(true, 160);
    const p = new Progress({ stream, env: { NO_COLOR: '1' }, now: () => now });
    await p.start(10);
    const bar = (done: number) => progressBar(done, 10);
    expect(p.text).toBe(`${bar(0)}  0/10 fits`);
    expect(stream.written).toContain('0/10 fits');

    now = 1000;
    p.tick(1, 0); // 1000 ms since the last paint: painted at once
    expect(p.text).toBe(`${bar(1)}  1/10 fits · 0:01 · ETA 9 s`);
    now = 1050;
    p.best('best r2 0.4213 (numTrees=50)');
    p.tick(2, 1); // 50 ms later: held back
    expect(p.text).toBe(`${bar(1)}  1/10 fits · 0:01 · ETA 9 s`);
    now = 1100;
    vi.advanceTimersByTime(50);
    expect(p.text).toBe(`${bar(2)}  2/10 fits · 1 failed · 0:01 · ETA 5 s · best r2 0.4213 (numTrees=50)`); // 8 × 550 ms = 4.4 s, rounded up
    // A trial line goes above the bar, which is drawn again below it.
    p.line('trial 3  numTrees=50  r2 0.4213');
    expect(stream.written).toContain('trial 3  numTrees=50  r2 0.4213\n');
    expect(p.text).toContain('2/10 fits');
    // On a narrow terminal the line is cut to fit (it would wrap and repeat otherwise).
    stream.columns = 40;
    now = 2000;
    p.tick(3, 1);
    expect([...p.text!].length).toBeLessThanOrEqual(37);
    expect(p.text!.endsWith('…')).toBe(true);

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
