/**
 * `sweep compare --format html`: one self-contained page (inline CSS and SVG, no script, no external asset) with
 * the comparison table, a bar chart of mean wall time per strategy × workers and a chart of the ranking metric per
 * config, both with ± σ whiskers. Every bar has a <title> (a tooltip and an accessible name) and a text label, so
 * the numbers can be read without hovering. The charts are the run report's (html/charts.ts, Observable Plot),
 * loaded with this module only when HTML is asked for.
 */
import type { CompareResult } from '../compare/result.js';
import { COMPARE_HEAD, entryCells, footnotes, headingLine, identityLine, machineLine, mismatchLines } from './compare-cells.js';
import { formatDuration, formatSignificant } from '../util/format.js';
import { barChart, esc, type BarDatum } from './html/charts.js';
import { PAGE_CSS } from './html/page.js';

export function renderCompareHtml(r: CompareResult): string {
  const wall: BarDatum[] = r.entries.map((e, i) => ({
    label: `${e.strategy} × ${e.workers}`,
    value: e.wall.mean / 1000,
    sd: Number.isFinite(e.wall.sd) ? e.wall.sd / 1000 : null,
    text: Number.isFinite(e.wall.sd) ? `${formatDuration(e.wall.mean)} ± ${formatDuration(e.wall.sd)}` : formatDuration(e.wall.mean),
    highlight: i === r.fastest,
  }));
  const names = r.varying.length > 0 ? r.varying : Object.keys(r.ranking[0]?.params ?? {});
  const metric: BarDatum[] = r.ranking.map((t, i) => ({
    label: names.map((n) => `${n}=${String(t.params[n])}`).join(' '),
    value: t.mean ?? NaN,
    sd: t.sd,
    text: t.mean === null ? 'failed' : t.sd === null ? formatSignificant(t.mean, 4) : `${formatSignificant(t.mean, 4)} ± ${formatSignificant(t.sd, 2)}`,
    highlight: i === 0,
  }));
  const head = COMPARE_HEAD.map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = r.entries.map((e) => `<tr>${entryCells(e).map((c, i) => `<td${i === 0 ? '' : ' class="num"'}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  const mismatches = mismatchLines(r).map((m) => `<li>${esc(m)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sweep compare: ${esc(r.model)} on ${esc(r.data.name)}</title>
<style>
${PAGE_CSS}
</style>
</head>
<body>
<h1>sweep compare</h1>
<p>${esc(headingLine(r))}</p>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="${r.identity.identical ? 'ok' : 'bad'}"><strong>${esc(identityLine(r))}</strong></p>
${mismatches ? `<ul class="bad">${mismatches}</ul>` : ''}
<ul>${r.verdicts.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>
<h2>Wall time per strategy × workers (s, mean ± σ)</h2>
${barChart('wall-chart', 'Mean wall time in seconds per strategy and worker count, with ± σ whiskers', wall, 'wall time (s)')}
<h2>${esc(r.metric)} per config (mean ± σ over folds)</h2>
${barChart('metric-chart', `${r.metric} per config, mean over folds with ± σ whiskers`, metric, r.metric)}
${[...footnotes(r), machineLine(r)].map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
</body>
</html>
`;
}
