/**
 * `sweep run --format html` and `sweep report ID|FILE`: one self-contained page (inline CSS and SVG, one small
 * inline script that only sorts the table; nothing loaded from anywhere) that reads from top to bottom as a data
 * scientist asks: what won and by how much (the best config, the table), what each parameter does (slice plots,
 * parallel coordinates, parameter importance), how the search went (best so far, halving's rungs), how stable the
 * winners are (their per-fold spread), and what the best model does (feature importances; for a classification
 * its confusion matrix and ROC from out-of-fold predictions). Charts are Observable Plot's, rendered here to SVG.
 */
import { metricNamesOf } from '../../eval/metrics.js';
import type { SweepResult, TrialResult } from '../../sweep/result.js';
import { formatParams, splitParams } from '../../sweep/trial-params.js';
import { formatDuration, formatMeanStd, formatSignificant } from '../../util/format.js';
import { paramImportance } from '../importance.js';
import { fixedParamsLine, interruptedLine, summaryLines, trialMessage } from '../summary.js';
import {
  barChart,
  bestSoFarChart,
  esc,
  foldSpreadChart,
  parallelChart,
  rungChart,
  sliceChart,
  type Axis,
  type BarDatum,
  type FoldPoint,
  type ParallelTrial,
  type SlicePoint,
} from './charts.js';
import { diagnosticsSections } from './diagnostics.js';
import { PAGE_CSS, SORT_SCRIPT } from './page.js';

/** The best configs whose per-fold scores are drawn. */
const SPREAD_TOP = 10;

/** How a swept parameter is drawn: from the space the result records, else from its values. */
export function axisOf(r: SweepResult, name: string): Axis {
  const dim = r.space?.[name];
  if (dim && dim.kind !== 'choice') return { name, numeric: true, log: dim.log };
  const values = dim?.kind === 'choice' ? dim.values : [...new Set(r.trials.map((t) => t.params[name]))];
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const nums = values as number[];
    // A list of positive values over two decades or more (0.001, 0.01, 0.1, 1) reads best on a log axis.
    const log = nums.every((v) => v > 0) && Math.max(...nums) / Math.min(...nums) >= 100;
    return { name, numeric: true, log };
  }
  return { name, numeric: false, log: false, domain: values.map((v) => String(v)) };
}

function ranked(r: SweepResult): TrialResult[] {
  return r.trials.filter((t) => t.status === 'ok' && t.metrics !== null && Number.isFinite(t.metrics[r.metric]));
}

/**
 * The trials the parameter charts compare, and the parameters they compare them on. A halving search's rungs
 * ran with different amounts of the resource, so comparing across them would credit the resource: those charts
 * take the first rung (every candidate, the same resource) and leave the resource parameter to the rung chart.
 */
function compared(r: SweepResult, varying: readonly string[]): { result: SweepResult; varying: string[]; note?: string } {
  if (!r.trials.some((t) => t.rung !== undefined)) return { result: r, varying: [...varying] };
  const first = Math.min(...r.trials.map((t) => t.rung ?? Infinity));
  const trials = r.trials.filter((t) => t.rung === first);
  const resource = r.search?.resource;
  const amount = trials.find((t) => t.resource !== undefined)?.resource;
  return {
    result: { ...r, trials },
    varying: varying.filter((n) => n !== resource),
    note: `Halving: these charts compare the ${trials.length} candidates of the first rung, all run with ${resource ?? 'the resource'} = ${amount ?? '?'}; later rungs are in the rung chart below.`,
  };
}

function trialTitle(t: TrialResult, names: readonly string[], metric: string): string {
  const m = t.metrics?.[metric];
  const sd = t.metricsStd?.[metric];
  return `${t.rank !== undefined ? `#${t.rank} ` : ''}${formatParams(t.params, names)}: ${metric} ${m !== undefined ? formatMeanStd(m, sd ?? Number.NaN, 3) : '–'}`;
}

function sliceSection(r: SweepResult, varying: readonly string[]): string {
  const ok = ranked(r);
  if (varying.length === 0 || ok.length === 0) return '';
  const charts = varying.map((name) => {
    const axis = axisOf(r, name);
    const points: SlicePoint[] = ok
      .filter((t) => t.params[name] !== undefined && (!axis.log || Number(t.params[name]) > 0))
      .map((t) => ({ x: axis.numeric ? Number(t.params[name]) : String(t.params[name]), mean: t.metrics![r.metric], sd: t.metricsStd?.[r.metric] ?? 0, best: t.rank === 1, title: trialTitle(t, varying, r.metric) }));
    return sliceChart(`slice-${name}`, axis, r.metric, points);
  });
  return section('slices', 'The metric against each parameter', `<div class="grid">\n${charts.join('\n')}\n</div>`, 'Each point is one trial (the mean over folds, the grey rule ± one standard deviation); the best trial is green. The other parameters vary between points, so a slice shows the spread a parameter leaves, not its effect alone: the parallel coordinates and the importance below separate them.');
}

function parallelSection(r: SweepResult, varying: readonly string[]): string {
  const ok = ranked(r);
  if (varying.length === 0 || ok.length < 2) return '';
  const axes = varying.map((n) => axisOf(r, n));
  const trials: ParallelTrial[] = ok.map((t, i) => ({ id: i, values: Object.fromEntries(axes.map((a) => [a.name, a.numeric ? Number(t.params[a.name]) : String(t.params[a.name])])), metric: t.metrics![r.metric], title: trialTitle(t, varying, r.metric) }));
  return section('parallel', 'Parallel coordinates', parallelChart('parallel', axes, r.metric, r.direction ?? 'max', trials));
}

function historySection(r: SweepResult, varying: readonly string[]): string {
  if (!r.search || !r.bestSoFar || r.bestSoFar.length === 0) return '';
  const ok = ranked(r).filter((t) => t.number !== undefined);
  const points = ok.map((t) => ({ number: t.number!, value: t.metrics![r.metric], title: `trial ${t.number}: ${trialTitle(t, varying, r.metric)}` }));
  const rungs = r.trials.some((t) => t.rung !== undefined) && r.search.resource !== undefined;
  const rungPoints = rungs
    ? ok.filter((t) => t.rung !== undefined && t.resource !== undefined && t.resource > 0).map((t) => ({ candidate: t.candidate ?? t.number!, rung: t.rung!, resource: t.resource!, value: t.metrics![r.metric], title: `rung ${t.rung}, ${r.search!.resource} ${t.resource}: ${trialTitle(t, varying, r.metric)}` }))
    : [];
  const body = [bestSoFarChart('best-so-far', r.metric, points, r.bestSoFar), rungPoints.length > 0 ? rungChart('rungs', r.metric, r.search.resource!, rungPoints) : ''].join('\n');
  return section('history', `How the ${r.search.method} search went`, body);
}

function importanceSection(r: SweepResult, varying: readonly string[]): string {
  const imp = paramImportance(r.trials, r.metric, varying, (n) => r.space === undefined || r.space[n]?.kind === 'choice');
  if (imp.length === 0) return '';
  const data: BarDatum[] = imp.map((p, i) => ({ label: p.name, value: p.share, sd: null, text: `${(100 * p.share).toFixed(1)}% (ε² ${p.epsilon2.toFixed(3)}, ${p.groups} groups)`, highlight: i === 0 }));
  const explained = imp.reduce((s, p) => s + p.epsilon2, 0);
  const note = `Each parameter's first-order share of the variance of ${r.metric} across the ${ranked(r).length} finished trials (ε², a functional-ANOVA main effect estimated by grouping the trials by the parameter's value or, for a range, its quantile bin), normalised to sum to 100%. Together they explain ${(100 * explained).toFixed(1)}% of it; the rest is interactions and fold noise.`;
  return section('importance', 'Parameter importance', barChart('param-importance', `Parameter importance for ${r.metric} (share of the explained variance)`, data, 'share'), note);
}

function spreadSection(r: SweepResult, varying: readonly string[]): string {
  const top = ranked(r).slice(0, SPREAD_TOP);
  if (top.length === 0 || top.every((t) => t.folds.length < 2)) return '';
  const names = varying.length > 0 ? varying : Object.keys(top[0].params);
  const label = (t: TrialResult) => `#${t.rank} ${formatParams(t.params, names)}`;
  const labels = top.map(label);
  const folds: FoldPoint[] = top.flatMap((t) => t.folds.filter((f) => Number.isFinite(f.metrics[r.metric])).map((f) => ({ label: label(t), fold: f.fold, value: f.metrics[r.metric], title: `${label(t)}, fold ${f.fold}: ${r.metric} ${formatSignificant(f.metrics[r.metric], 4)}` })));
  const means = top.map((t) => ({ label: label(t), value: t.metrics![r.metric] }));
  return section('spread', 'How stable the best configs are', foldSpreadChart('fold-spread', r.metric, labels, folds, means), 'Configs whose dots overlap are not told apart by this cross-validation: the ranking between them is fold noise.');
}

function section(id: string, title: string, body: string, note?: string): string {
  return `<section id="section-${esc(id)}">\n<h2>${esc(title)}</h2>\n${body}\n${note !== undefined ? `<p class="note">${esc(note)}</p>\n` : ''}</section>`;
}

/** The results table: every trial, rank order, sortable by any column (data-sort holds the number). */
function resultsTable(r: SweepResult, varying: readonly string[]): string {
  const metrics = metricNamesOf(r.trials.map((t) => t.metrics));
  const numbered = r.search !== undefined;
  const rungs = r.trials.some((t) => t.rung !== undefined);
  const head = ['rank', ...(numbered ? ['trial'] : []), ...(rungs ? ['rung', 'resource'] : []), ...varying, ...metrics, 'fit', 'predict'];
  const num = (v: number | undefined, text: string) => `<td class="num" data-sort="${v !== undefined && Number.isFinite(v) ? v : ''}">${esc(text)}</td>`;
  const rows = r.trials.map((t) => {
    const cells = [num(t.rank, t.rank !== undefined ? String(t.rank) : '–')];
    if (numbered) cells.push(num(t.number, String(t.number ?? '–')));
    if (rungs) cells.push(num(t.rung, String(t.rung ?? '–')), num(t.resource, String(t.resource ?? '–')));
    for (const p of varying) {
      const v = t.params[p];
      cells.push(typeof v === 'number' ? num(v, String(v)) : `<td data-sort="${esc(String(v ?? ''))}">${esc(String(v ?? '–'))}</td>`);
    }
    // A failed trial's message fills its first metric cell; the others stay empty, so every column keeps its index for sorting.
    if (t.status !== 'ok' || t.metrics === null) cells.push(`<td class="bad" data-sort="">${esc(trialMessage(t))}</td>`, ...metrics.slice(1).map(() => '<td data-sort=""></td>'));
    else for (const m of metrics) cells.push(num(t.metrics[m], formatMeanStd(t.metrics[m] ?? Number.NaN, t.metricsStd?.[m] ?? Number.NaN)));
    cells.push(num(t.fitMs, formatDuration(t.fitMs)), num(t.predictMs, formatDuration(t.predictMs)));
    return `<tr${t.rank === 1 ? ' class="best"' : ''}>${cells.join('')}</tr>`;
  });
  const th = head.map((h) => `<th scope="col"${h === r.metric ? ' class="metric"' : ''}>${esc(h)}</th>`).join('');
  return `<div class="table-wrap"><table id="results" class="sortable">\n<thead><tr>${th}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
}

function bestBox(r: SweepResult, varying: readonly string[]): string {
  const best = r.trials.find((t) => t.rank === 1);
  if (!best) return `<p class="bad"><strong>No best config:</strong> ${esc(summaryLines(r).find((l) => l.label === 'best')?.value ?? '')}</p>`;
  const m = best.metrics![r.metric];
  const sd = best.metricsStd?.[r.metric] ?? Number.NaN;
  const second = ranked(r)[1];
  const margin = second ? ` · ahead of #2 by ${formatSignificant(Math.abs(m - second.metrics![r.metric]), 3)} (σ over folds ${formatSignificant(sd, 3)})` : '';
  const holdout = r.holdout ? ` · held-out test ${r.metric} ${formatSignificant(r.holdout.metrics[r.metric] ?? Number.NaN, 4)} on ${r.holdout.rows} rows` : '';
  return `<div class="best-box"><div class="big">${esc(r.metric)} ${esc(formatMeanStd(m, sd, 3))}</div><div>best: <code>${esc(formatParams(best.params, varying.length > 0 ? varying : Object.keys(best.params)) || '(defaults)')}</code>${esc(margin)}${esc(holdout)}</div></div>`;
}

function metaLine(r: SweepResult): string {
  const parts = [r.version !== undefined ? `sweep ${r.version}` : undefined, r.startedAt !== undefined ? `started ${r.startedAt}` : undefined, `wall ${formatDuration(r.wallMs)}`].filter((p) => p !== undefined);
  const command = r.command !== undefined ? `<p class="note">command: <code>${esc(r.command.join(' '))}</code></p>` : '';
  return `<p class="note">${esc(parts.join(' · '))}</p>${command}`;
}

export function renderHtmlReport(r: SweepResult): string {
  const { varying } = splitParams(r.trials.length > 0 ? r.trials : [{ params: {} } as TrialResult]);
  const title = `sweep: ${r.model} on ${r.data.name}`;
  const summary = summaryLines(r).map((l) => `<dt>${esc(l.label)}</dt><dd>${esc(l.value)}</dd>`).join('\n');
  const warnings = [interruptedLine(r), r.stoppedBy !== undefined ? `stopped: ${r.stoppedBy}` : null].filter((w) => w !== null);
  const fixed = fixedParamsLine(r);
  const cmp = compared(r, varying);
  const body = [
    `<h1>${esc(title)}</h1>`,
    metaLine(r),
    ...warnings.map((w) => `<p class="warn">${esc(w)}</p>`),
    bestBox(r, varying),
    section('results', `Trials (${r.trials.length})`, `${fixed ? `<p class="note">${esc(fixed)}</p>\n` : ''}${resultsTable(r, varying)}`, 'Click a column header to sort by it (the page sorts without a server; printed, the table keeps rank order).'),
    ...(cmp.note !== undefined ? [`<p class="note">${esc(cmp.note)}</p>`] : []),
    sliceSection(cmp.result, cmp.varying),
    parallelSection(cmp.result, cmp.varying),
    importanceSection(cmp.result, cmp.varying),
    historySection(r, varying),
    spreadSection(r, varying),
    ...diagnosticsSections(r, section),
    section('run', 'How it ran', `<dl>\n${summary}\n</dl>`),
  ].filter((s) => s !== '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
${PAGE_CSS}
</style>
</head>
<body>
${body.join('\n')}
<script>
${SORT_SCRIPT}
</script>
</body>
</html>
`;
}
