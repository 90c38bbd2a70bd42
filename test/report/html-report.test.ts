/// <reference lib="dom" />
/**
 * The run report (`sweep run --format html`, `sweep report`) rendered by a real browser: Debian's chromium,
 * headless and offline, driven by playwright-core. Real sweeps make the pages (a grid, a linear model over a
 * log-spaced list, TPE and halving searches, a two- and a three-class classification, boosting's training curves);
 * for each page every chart kind it should have is drawn with nonzero size, axes labelled and marks present, a
 * screenshot of it is not blank, the table sorts on a click and reads with script off, and the page asks the
 * network for nothing.
 * Skipped only when /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/helpers.js';

const CHROMIUM = '/usr/bin/chromium';

interface Page {
  args: string[];
  /** Chart figure ids the page must have, each with the class of the marks it must draw. */
  charts: Record<string, string>;
  /** Chart ids it must not have. */
  absent?: string[];
}

const PAGES: Record<string, Page> = {
  grid: {
    args: ['--trees', '10,20,50', '--max-depth', '4,8,none'],
    charts: { 'slice-numTrees': 'trial', 'slice-maxDepth': 'trial', parallel: 'trial', 'param-importance': 'bar', 'fold-spread': 'fold', 'feature-importance': 'bar' },
    absent: ['best-so-far', 'rungs', 'confusion', 'roc', 'curve-r2'],
  },
  linear: {
    args: ['--model', 'linear', '--reg-param', '0.001,0.01,0.1,1', '--elastic-net', '0,0.5'],
    charts: { 'slice-regParam': 'trial', 'slice-elasticNetParam': 'trial', parallel: 'trial', 'param-importance': 'bar', 'feature-importance': 'bar' },
  },
  tpe: {
    args: ['--search', 'tpe', '--trials', '12', '--trees', '5..40', '--max-depth', '2..12', '--folds', '3'],
    charts: { 'slice-numTrees': 'trial', parallel: 'trial', 'best-so-far': 'best-so-far', 'param-importance': 'bar' },
    absent: ['rungs'],
  },
  halving: {
    args: ['--search', 'halving', '--trials', '9', '--trees', '27', '--max-depth', '2..12', '--min-samples-leaf', '1..16:log', '--folds', '3'],
    charts: { 'slice-maxDepth': 'trial', 'best-so-far': 'trial', rungs: 'candidate' },
    absent: ['slice-numTrees'],
  },
  binary: {
    args: ['--data', 'breast-cancer', '--trees', '10,20', '--folds', '3'],
    charts: { 'feature-importance': 'bar', confusion: 'cell', roc: 'roc' },
  },
  iris: {
    args: ['--data', 'iris', '--model', 'logistic', '--reg-param', '0.01,1', '--folds', '3'],
    charts: { 'feature-importance': 'bar', confusion: 'cell', roc: 'roc' },
    absent: ['curve-log_loss'],
  },
  boosting: {
    args: ['--data', 'breast-cancer', '--model', 'gbt', '--iterations', '10,30', '--folds', '3'],
    charts: { 'curve-log_loss': 'curve', 'curve-accuracy': 'curve', 'feature-importance': 'bar', confusion: 'cell' },
  },
};

const dir = tempDir('sweep-report-');
const files: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, page] of Object.entries(PAGES)) {
    const file = join(dir, `${name}.html`);
    const r = await runCli(['run', ...page.args, '--workers', '1', '--format', 'html', '--output', file], dir, 120_000);
    expect(r.code, r.stderr).toBe(0);
    files[name] = file;
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the run report (self-contained)', () => {
  it('loads nothing from anywhere: no external script, style, image or font', () => {
    for (const file of Object.values(files)) {
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<script[^>]+src=/i);
      expect(html).not.toMatch(/<(link|img|iframe)\b/i);
      expect(html).not.toMatch(/(src|href)=["'](https?:|\/\/)/i);
      expect(html).not.toMatch(/url\(/i);
    }
  });

  it('sweep report and sweep show --format html print the stored run\'s page again', async () => {
    const d = tempDir();
    const run = await runCli(['run', '--trees', '5,10', '--max-depth', '3', '--folds', '3', '--workers', '1', '--format', 'html'], d);
    const id = (JSON.parse((await runCli(['history', '--format', 'json'], d)).stdout) as { id: string }[])[0].id;
    expect((await runCli(['report', id.slice(0, 6)], d)).stdout).toBe(run.stdout);
    expect((await runCli(['show', id, '--format', 'html'], d)).stdout).toBe(run.stdout);
  }, 60_000);
});

describe.skipIf(!existsSync(CHROMIUM))(`the run report in headless Chromium${existsSync(CHROMIUM) ? '' : ' (skipped: /usr/bin/chromium not installed; apt-get install chromium)'}`, () => {
  let browser: Awaited<ReturnType<typeof chromium.launch>>;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.each(Object.keys(PAGES))('%s: every chart it should have is drawn, labelled and not blank', async (name) => {
    const page = await (await browser.newContext({ offline: true })).newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = pathToFileURL(files[name]).href;
    await page.goto(url);
    for (const [id, marks] of Object.entries(PAGES[name].charts)) {
      const chart = await page.$eval(`figure#${id}`, (fig, cls) => {
        const svgs = [...fig.querySelectorAll('svg')];
        const main = svgs.at(-1)!;
        const box = main.getBoundingClientRect();
        const marks = [...main.querySelectorAll(`g.${cls} > *`)].map((el) => (el as unknown as SVGGraphicsElement).getBBox());
        const axisText = [...main.querySelectorAll('g[aria-label$="axis tick label"] text, g[aria-label$="axis label"] text, g.axis-label text')].map((t) => t.textContent ?? '');
        return { width: box.width, height: box.height, marks: marks.map((b) => Math.max(b.width, b.height)), axisText, caption: fig.querySelector('figcaption')?.textContent ?? '' };
      }, marks);
      expect(chart.width, id).toBeGreaterThan(100);
      expect(chart.height, id).toBeGreaterThan(50);
      expect(chart.caption, id).not.toBe('');
      expect(chart.marks.length, `${id}: g.${marks}`).toBeGreaterThan(0);
      expect(chart.marks.some((m) => m > 0), id).toBe(true);
      expect(chart.axisText.filter((t) => t.trim() !== '').length, id).toBeGreaterThan(1);
      // Not blank: a screenshot of the chart is inked, and its marks are what ink it — hiding them changes pixels.
      const shot = async () => (await page.locator(`figure#${id}`).screenshot()).toString('base64');
      const drawn = await shot();
      await page.$eval(`figure#${id}`, (fig, cls) => {
        for (const g of fig.querySelectorAll(`g.${cls}`)) (g as SVGGElement).style.visibility = 'hidden';
      }, marks);
      const bare = await shot();
      await page.$eval(`figure#${id}`, (fig, cls) => {
        for (const g of fig.querySelectorAll(`g.${cls}`)) (g as SVGGElement).style.visibility = '';
      }, marks);
      const pixels = await page.evaluate(async ([a, b]) => {
        const read = async (b64: string) => {
          const img = new Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.width;
          canvas.height = img.height;
          const ctx = canvas.getContext('2d')!;
          ctx.drawImage(img, 0, 0);
          return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        };
        const [x, y] = [await read(a), await read(b)];
        let ink = 0;
        let changed = 0;
        for (let i = 0; i < x.length; i += 4) {
          if (x[i] < 200 || x[i + 1] < 200 || x[i + 2] < 200) ink++;
          if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) changed++;
        }
        return { ink: ink / (x.length / 4), changed: changed / (x.length / 4) };
      }, [drawn, bare]);
      expect(pixels.ink, `${id}: share of inked pixels`).toBeGreaterThan(0.005);
      expect(pixels.changed, `${id}: share of pixels its marks draw`).toBeGreaterThan(0.001);
    }
    for (const id of PAGES[name].absent ?? []) expect(await page.$(`figure#${id}`), id).toBeNull();
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([url]);
  }, 60_000);

  it('the table sorts by a column on a click, and reads without script', async () => {
    const page = await (await browser.newContext({ offline: true })).newPage();
    await page.goto(pathToFileURL(files.grid).href);
    const column = (i: number) => page.$$eval(`#results tbody tr`, (rows, k) => rows.map((r) => (r as HTMLTableRowElement).cells[k].textContent), i);
    expect((await column(0)).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await page.click('#results th:nth-child(2)'); // numTrees
    const trees = (await column(1)).map(Number);
    expect(trees).toEqual([...trees].sort((a, b) => a - b));
    await page.click('#results th:nth-child(2)');
    expect((await column(1)).map(Number)).toEqual([...trees].sort((a, b) => b - a));
    const still = await (await browser.newContext({ offline: true, javaScriptEnabled: false })).newPage();
    await still.goto(pathToFileURL(files.grid).href);
    expect(await still.$$eval('#results tbody tr', (rows) => rows.length)).toBe(9);
    expect(await still.$$eval('figure.chart svg', (svgs) => svgs.length)).toBeGreaterThan(5);
  }, 60_000);
});
