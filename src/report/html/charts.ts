/**
 * The charts of the HTML reports, drawn by Observable Plot into a server-side DOM (linkedom) and serialised as
 * static SVG: no script, no network, prints as drawn. Every chart is a <figure class="chart" id="…"> with a
 * caption; every mark that stands for a number has a <title> (a tooltip, and the number for a screen reader).
 * This module is imported only when a report is rendered as HTML (it pulls in Plot's ~30 d3 modules).
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');

/** The page's palette: one accent for "best", one for the rest, as the table's highlight. */
export const COLORS = { bar: '#4c78a8', best: '#2e8b57', muted: '#b8c2cc', line: '#d62728', ink: '#222' };

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One chart: Plot's options with this module's DOM, serialised; a figure wrapper with an id and a caption. */
export function figure(id: string, caption: string, options: Plot.PlotOptions, note?: string): string {
  const node = Plot.plot({ ...options, document: document as unknown as Plot.PlotOptions['document'], style: { fontSize: '12px', overflow: 'visible' } } as Plot.PlotOptions);
  const svg = (node as unknown as { outerHTML: string }).outerHTML;
  return `<figure class="chart" id="${esc(id)}">\n<figcaption>${esc(caption)}</figcaption>\n${svg}\n${note !== undefined ? `<p class="note">${esc(note)}</p>\n` : ''}</figure>`;
}

export interface BarDatum {
  label: string;
  value: number;
  /** ± σ whisker; null or NaN draws none. */
  sd: number | null;
  /** The number written at the end of the bar (and in its tooltip). */
  text: string;
  highlight?: boolean;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Horizontal bars from 0 with ± σ whiskers and a value label, one row per datum in the given order. */
export function barChart(id: string, caption: string, data: readonly BarDatum[], xLabel: string): string {
  const rows = data.filter((d) => finite(d.value));
  const whiskers = rows.filter((d) => finite(d.sd) && d.sd > 0);
  const longest = Math.max(4, ...data.map((d) => d.label.length));
  return figure(id, caption, {
    width: 760,
    height: 40 + 26 * data.length,
    marginLeft: Math.min(320, 12 + longest * 7.5),
    marginRight: 150,
    x: { label: xLabel, grid: true, nice: true },
    y: { label: null, domain: data.map((d) => d.label), padding: 0.25 },
    marks: [
      Plot.barX(rows, { x: 'value', y: 'label', fill: (d: BarDatum) => (d.highlight ? COLORS.best : COLORS.bar), title: (d: BarDatum) => `${d.label}: ${d.text}`, className: 'bar' }),
      Plot.ruleY(whiskers, { x1: (d: BarDatum) => d.value - d.sd!, x2: (d: BarDatum) => d.value + d.sd!, y: 'label', stroke: COLORS.ink, strokeWidth: 1.5, className: 'whisker' }),
      Plot.text(data, { x: (d: BarDatum) => (finite(d.value) ? Math.max(d.value, 0) + (finite(d.sd) ? d.sd : 0) : 0), y: 'label', text: 'text', textAnchor: 'start', dx: 6, fill: COLORS.ink, className: 'value' }),
      Plot.ruleX([0]),
    ],
  });
}

/** A swept parameter's values: numbers on a linear or log axis, anything else (words, "none") as ordered points. */
export interface Axis {
  name: string;
  numeric: boolean;
  log: boolean;
  /** Categorical axes: the values in the order they were given. */
  domain?: string[];
}

export interface SlicePoint {
  x: number | string;
  mean: number;
  sd: number;
  best: boolean;
  title: string;
}

/** The ranking metric against one parameter: a dot per trial (mean over folds) with a ± σ rule. */
export function sliceChart(id: string, axis: Axis, metric: string, points: readonly SlicePoint[]): string {
  const caption = `${metric} against ${axis.name}: one point per trial, mean ± σ over folds${axis.log ? ' (log axis)' : ''}`;
  // A log axis labels its ticks as numbers (0.001), not with SI prefixes (1m).
  const x = axis.numeric ? { type: axis.log ? ('log' as const) : ('linear' as const), label: axis.name, grid: true, nice: !axis.log, ...(axis.log ? { tickFormat: '~g' } : {}) } : { type: 'point' as const, domain: axis.domain, label: axis.name, padding: 0.5 };
  return figure(id, caption, {
    width: 360,
    height: 260,
    marginLeft: 56,
    x,
    y: { label: metric, grid: true, nice: true },
    marks: [
      Plot.ruleX(points, { x: 'x', y1: (d: SlicePoint) => d.mean - d.sd, y2: (d: SlicePoint) => d.mean + d.sd, stroke: COLORS.muted, className: 'spread' }),
      Plot.dot(points, { x: 'x', y: 'mean', r: 4, fill: (d: SlicePoint) => (d.best ? COLORS.best : COLORS.bar), fillOpacity: 0.85, title: 'title', className: 'trial', sort: (d: SlicePoint) => (d.best ? 1 : 0) }),
    ],
  });
}

export interface ParallelTrial {
  id: number;
  /** axis name → value on that axis (a number, or a category). */
  values: Record<string, number | string>;
  metric: number;
  title: string;
}

/** Parallel coordinates: an axis per parameter and one for the metric, a line per trial coloured by the metric. */
export function parallelChart(id: string, axes: readonly Axis[], metric: string, direction: 'max' | 'min', trials: readonly ParallelTrial[]): string {
  const all: Axis[] = [...axes, { name: metric, numeric: true, log: false }];
  const scale = all.map((a) => positioner(a, trials.map((t) => (a.name === metric ? t.metric : t.values[a.name]))));
  const rows = trials.flatMap((t) => all.map((a, i) => ({ trial: t.id, axis: a.name, v: scale[i].at(a.name === metric ? t.metric : t.values[a.name]), metric: t.metric, title: t.title })));
  const ticks = all.flatMap((a, i) => scale[i].ticks.map((tk) => ({ axis: a.name, v: tk.v, label: tk.label })));
  return figure(id, `Parallel coordinates: every trial across the swept parameters and ${metric} (colour: ${metric}, ${direction === 'max' ? 'higher' : 'lower'} is better)`, {
    width: Math.max(520, 150 * all.length),
    height: 340,
    marginLeft: 30,
    marginRight: 70,
    marginTop: 30,
    x: { type: 'point', domain: all.map((a) => a.name), label: null, axis: 'top', padding: 0.1 },
    y: { domain: [0, 1], axis: null },
    // Seven steps of colour (a continuous ramp needs a canvas to draw its legend; steps read better anyway).
    color: { type: 'quantize', n: 7, scheme: 'viridis', reverse: direction === 'min', label: `${metric} (${direction === 'max' ? 'higher' : 'lower'} is better)`, legend: true },
    marks: [
      Plot.ruleX(all.map((a) => a.name), { stroke: '#999' }),
      Plot.line(rows, { x: 'axis', y: 'v', z: 'trial', stroke: 'metric', strokeOpacity: 0.7, strokeWidth: 1.5, title: 'title', className: 'trial' }),
      Plot.text(ticks, { x: 'axis', y: 'v', text: 'label', textAnchor: 'start', dx: 5, fill: '#555', stroke: 'white', strokeWidth: 3, paintOrder: 'stroke', className: 'axis-label' }),
    ],
  });
}

/** Where a value sits on a parallel axis (0 at the bottom, 1 at the top), and the labels to draw on it. */
function positioner(axis: Axis, values: readonly (number | string | undefined)[]): { at: (v: number | string | undefined) => number; ticks: { v: number; label: string }[] } {
  if (!axis.numeric) {
    const domain = axis.domain ?? [...new Set(values.map(String))];
    const step = domain.length > 1 ? 1 / (domain.length - 1) : 0;
    return { at: (v) => (domain.length > 1 ? domain.indexOf(String(v)) * step : 0.5), ticks: domain.map((d, i) => ({ v: domain.length > 1 ? i * step : 0.5, label: d })) };
  }
  const nums = values.map(Number).filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  const f = axis.log ? Math.log10 : (v: number) => v;
  const lo = Math.min(...nums.map(f));
  const hi = Math.max(...nums.map(f));
  const span = hi - lo;
  const at = (v: number | string | undefined) => (span > 0 ? (f(Number(v)) - lo) / span : 0.5);
  const raw = span > 0 ? [0, 0.25, 0.5, 0.75, 1].map((p) => lo + p * span) : [lo];
  return { at, ticks: raw.map((r) => ({ v: span > 0 ? (r - lo) / span : 0.5, label: shortNumber(axis.log ? 10 ** r : r) })) };
}

export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

export interface HistoryPoint {
  number: number;
  value: number;
  title: string;
}

/** The search's history: every trial's metric, and the best so far as a step line. */
export function bestSoFarChart(id: string, metric: string, trials: readonly HistoryPoint[], best: readonly { number: number; value: number }[]): string {
  return figure(id, `${metric} per trial in the order the search ran them, and the best so far`, {
    width: 760,
    height: 280,
    marginLeft: 56,
    x: { label: 'trial', grid: true },
    y: { label: metric, grid: true, nice: true },
    marks: [
      Plot.dot(trials, { x: 'number', y: 'value', r: 3, fill: COLORS.bar, fillOpacity: 0.6, title: 'title', className: 'trial' }),
      Plot.line(best, { x: 'number', y: 'value', curve: 'step-after', stroke: COLORS.line, strokeWidth: 2, className: 'best-so-far' }),
    ],
  });
}

export interface RungPoint {
  candidate: number;
  rung: number;
  resource: number;
  value: number;
  title: string;
}

/** Successive halving: each candidate's metric at each rung's resource, a line joining a candidate's rungs. */
export function rungChart(id: string, metric: string, resource: string, points: readonly RungPoint[]): string {
  return figure(id, `${metric} against ${resource} per rung: each candidate's line follows it while it was promoted`, {
    width: 760,
    height: 300,
    marginLeft: 56,
    x: { type: 'log', label: `${resource} (log axis)`, grid: true, tickFormat: '~g' },
    y: { label: metric, grid: true, nice: true },
    color: { type: 'ordinal', scheme: 'tableau10', label: 'rung', legend: true },
    marks: [
      Plot.line(points, { x: 'resource', y: 'value', z: 'candidate', stroke: COLORS.muted, strokeWidth: 1, className: 'candidate' }),
      Plot.dot(points, { x: 'resource', y: 'value', fill: 'rung', r: 4, title: 'title', className: 'trial' }),
    ],
  });
}

export interface FoldPoint {
  label: string;
  fold: number;
  value: number;
  title: string;
}

/** The best configs' score in every fold (dots) and their mean (a tick), best config on top. */
export function foldSpreadChart(id: string, metric: string, labels: readonly string[], folds: readonly FoldPoint[], means: readonly { label: string; value: number }[]): string {
  const longest = Math.max(4, ...labels.map((l) => l.length));
  return figure(id, `${metric} in each fold for the ${labels.length} best configs (dots: folds; tick: mean)`, {
    width: 760,
    height: 50 + 28 * labels.length,
    marginLeft: Math.min(340, 12 + longest * 7.5),
    x: { label: metric, grid: true, nice: true },
    y: { label: null, domain: [...labels], padding: 0.3 },
    marks: [
      Plot.tickX(means, { x: 'value', y: 'label', stroke: COLORS.ink, strokeWidth: 2, className: 'mean' }),
      Plot.dot(folds, { x: 'value', y: 'label', r: 3.5, fill: COLORS.bar, fillOpacity: 0.75, title: 'title', className: 'fold' }),
    ],
  });
}

export interface Cell {
  truth: string;
  predicted: string;
  count: number;
  share: number;
}

/** A confusion matrix: true class down, predicted class across, shade by the share of the true class's rows. */
export function confusionChart(id: string, classes: readonly string[], cells: readonly Cell[], caption: string): string {
  const longest = Math.max(4, ...classes.map((c) => c.length));
  return figure(id, caption, {
    width: Math.max(320, 110 + 70 * classes.length),
    height: 90 + 50 * classes.length,
    marginLeft: Math.min(200, 30 + longest * 7),
    marginBottom: 50,
    x: { domain: [...classes], label: 'predicted', axis: 'bottom' },
    y: { domain: [...classes], label: 'true' },
    color: { type: 'linear', domain: [0, 1], range: ['#f4f7fb', '#1f4e79'], label: 'share of the true class' },
    marks: [
      Plot.cell(cells, { x: 'predicted', y: 'truth', fill: 'share', inset: 1, title: (c: Cell) => `true ${c.truth}, predicted ${c.predicted}: ${c.count} rows (${(100 * c.share).toFixed(1)}%)`, className: 'cell' }),
      Plot.text(cells, { x: 'predicted', y: 'truth', text: (c: Cell) => String(c.count), fill: (c: Cell) => (c.share > 0.5 ? 'white' : COLORS.ink), fontSize: 13, className: 'count' }),
    ],
  });
}

export interface RocPoint {
  curve: string;
  fpr: number;
  tpr: number;
}

/** ROC curves (one per class, one-vs-rest; one for two classes) with the chance diagonal. */
export function rocChart(id: string, points: readonly RocPoint[], caption: string): string {
  return figure(id, caption, {
    width: 420,
    height: 400,
    marginLeft: 50,
    x: { domain: [0, 1], label: 'false positive rate', grid: true },
    y: { domain: [0, 1], label: 'true positive rate', grid: true },
    color: { type: 'ordinal', scheme: 'tableau10', legend: new Set(points.map((p) => p.curve)).size > 1 },
    marks: [
      Plot.line([{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }], { x: 'fpr', y: 'tpr', stroke: '#999', strokeDasharray: '4 3', className: 'chance' }),
      Plot.line(points, { x: 'fpr', y: 'tpr', z: 'curve', stroke: 'curve', strokeWidth: 2, className: 'roc' }),
    ],
  });
}

export interface CurvePoint {
  iteration: number;
  mean: number;
  low: number;
  high: number;
}

/** A boosted model's metric after each iteration: the mean over folds (line) and ± σ (band). */
export function curveChart(id: string, metric: string, points: readonly CurvePoint[], caption: string): string {
  return figure(id, caption, {
    width: 370,
    height: 280,
    marginLeft: 56,
    x: { label: 'iterations', grid: true },
    y: { label: metric, grid: true, nice: true },
    marks: [
      Plot.areaY(points, { x: 'iteration', y1: 'low', y2: 'high', fill: COLORS.bar, fillOpacity: 0.25, className: 'spread' }),
      Plot.line(points, { x: 'iteration', y: 'mean', stroke: COLORS.line, strokeWidth: 2, className: 'curve' }),
    ],
  });
}
