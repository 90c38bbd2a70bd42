// The HTML export rendered by a real browser: Debian's chromium, headless, driven by playwright-core, offline.
// Checks that both charts are drawn (bars and ± σ whiskers with non-zero size) and that the page asks for nothing
// from the network (self-contained). Skipped only when /usr/bin/chromium is absent (.ci/run installs it).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompareResult } from '../../dist/compare/summarize.js';
import { renderCompareAny } from '../../dist/report/compare-render.js';
import { MACHINE, threeEntries } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const html = await renderCompareAny(buildCompareResult(threeEntries(), { repeat: 2, warmup: 1, isolation: 'process', machine: MACHINE }), 'html');

describe('compare HTML (self-contained)', () => {
  it('references no external asset', () => {
    expect(html).not.toMatch(/<(script|link|img)\b/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
  });
});

describe.skipIf(!existsSync(CHROMIUM))(`compare HTML in headless Chromium${existsSync(CHROMIUM) ? '' : ' (skipped: /usr/bin/chromium not installed; apt-get install chromium)'}`, () => {
  let dir: string;
  let browser: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-html-'));
    writeFileSync(join(dir, 'compare.html'), html);
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws a wall-time bar per strategy × workers and a metric bar per config, with whiskers', async () => {
    const page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'compare.html')).href;
    await page.goto(url);
    const measure = (selector: string) =>
      page.$$eval(selector, (els) => els.map((el) => {
        const b = (el as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return { w: b.width, h: b.height };
      }));
    const wallBars = await measure('#wall-chart g.bar rect');
    const wallWhiskers = await measure('#wall-chart g.whisker line');
    const metricBars = await measure('#metric-chart g.bar rect');
    const metricWhiskers = await measure('#metric-chart g.whisker line');
    expect(wallBars).toHaveLength(3);
    expect(wallWhiskers).toHaveLength(3);
    expect(metricBars).toHaveLength(2);
    expect(metricWhiskers).toHaveLength(2);
    for (const b of [...wallBars, ...metricBars]) {
      expect(b.w).toBeGreaterThan(0);
      expect(b.h).toBeGreaterThan(0);
    }
    // A whisker is a horizontal line: its extent is its width.
    for (const b of [...wallWhiskers, ...metricWhiskers]) expect(b.w).toBeGreaterThan(0);
    // The slowest entry (udf × 2, 200 ms) is 4× the fastest (50 ms): the bars say so.
    expect(wallBars[2].w / wallBars[1].w).toBeCloseTo(4, 1);
    const titles = await page.$$eval('#wall-chart g.bar rect > title', (els) => els.map((e) => e.textContent));
    expect(titles[1]).toBe('thread-pool × 2: 50.0 ms ± 7.07 ms');
    expect(await page.title()).toBe('sweep compare: rf on diabetes');
    expect(requests).toEqual([url]);
  }, 60_000);
});
