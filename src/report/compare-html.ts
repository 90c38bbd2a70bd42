/**
 * `sweep compare --format html`: one self-contained page (inline CSS and SVG, no script, no external asset) with
 * the comparison table, a bar chart of mean wall time per strategy × workers and a chart of the ranking metric per
 * config, both with ± σ whiskers. Every bar has a <title> (a tooltip and an accessible name) and a text label, so
 * the numbers can be read without hovering. Charts are plain SVG drawn here: no charting library to load.
 */
import type { CompareResult } from '../compare/result.js';
import { COMPARE_HEAD, entryCells, footnotes, headingLine, identityLine, machineLine, mismatchLines } from './compare-cells.js';
import { formatDuration, formatSignificant } from '../util/format.js';

export interface BarDatum {
  label: string;
  value: number;
  /** ± σ whisker; NaN or null draws none. */
  sd: number | null;
  /** Text at the end of the bar. */
  text: string;
  highlight?: boolean;
}

const ROW = 26;
const LABEL_W = 200;
const PLOT_W = 480;
const TEXT_W = 150;

/** A horizontal bar chart with whiskers; the axis spans 0 and every value ± σ (negative values grow leftwards). */
export function barChartSvg(id: string, title: string, data: readonly BarDatum[]): string {
  const lo = Math.min(0, ...data.map((d) => d.value - (finite(d.sd) ? d.sd! : 0)).filter(Number.isFinite));
  const hi = Math.max(0, ...data.map((d) => d.value + (finite(d.sd) ? d.sd! : 0)).filter(Number.isFinite));
  const span = hi - lo || 1;
  const x = (v: number) => LABEL_W + ((v - lo) / span) * PLOT_W;
  const height = data.length * ROW + 30;
  const width = LABEL_W + PLOT_W + TEXT_W;
  const parts = [
    `<svg id="${id}" class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${esc(title)}</title>`,
    `<line class="axis" x1="${x(0)}" y1="4" x2="${x(0)}" y2="${height - 22}" />`,
  ];
  data.forEach((d, i) => {
    const y = 6 + i * ROW;
    const mid = y + (ROW - 8) / 2;
    if (!Number.isFinite(d.value)) {
      parts.push(`<text class="label" x="${LABEL_W - 8}" y="${mid + 4}" text-anchor="end">${esc(d.label)}</text>`, `<text class="value" x="${x(0) + 6}" y="${mid + 4}">${esc(d.text)}</text>`);
      return;
    }
    const x0 = Math.min(x(0), x(d.value));
    const w = Math.max(1, Math.abs(x(d.value) - x(0)));
    parts.push(
      `<g class="datum">`,
      `<title>${esc(`${d.label}: ${d.text}`)}</title>`,
      `<text class="label" x="${LABEL_W - 8}" y="${mid + 4}" text-anchor="end">${esc(d.label)}</text>`,
      `<rect class="bar${d.highlight ? ' best' : ''}" x="${x0.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW - 8}" />`,
    );
    if (finite(d.sd) && d.sd! > 0) {
      const a = x(d.value - d.sd!).toFixed(2);
      const b = x(d.value + d.sd!).toFixed(2);
      parts.push(
        `<path class="whisker" d="M${a} ${mid}H${b}M${a} ${mid - 5}V${mid + 5}M${b} ${mid - 5}V${mid + 5}" />`,
      );
    }
    parts.push(`<text class="value" x="${(Math.max(x(d.value), x(d.value + (finite(d.sd) ? d.sd! : 0))) + 6).toFixed(2)}" y="${mid + 4}">${esc(d.text)}</text>`, `</g>`);
  });
  const axisY = height - 8;
  parts.push(
    `<text class="tick" x="${x(lo)}" y="${axisY}" text-anchor="start">${esc(formatSignificant(lo))}</text>`,
    `<text class="tick" x="${x(hi)}" y="${axisY}" text-anchor="end">${esc(formatSignificant(hi))}</text>`,
    `</svg>`,
  );
  return parts.join('\n');
}

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
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { display: block; margin: 0.5em 0 1.5em; }
.bar { fill: #4c78a8; } .bar.best { fill: #2e8b57; }
.whisker { stroke: #222; stroke-width: 1.5; fill: none; }
.axis { stroke: #888; } .label, .value, .tick { font-size: 12px; fill: #222; } .tick { fill: #666; }
.ok { color: #2e7d32; } .bad { color: #c62828; } .note { color: #666; font-size: 12px; }
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
${barChartSvg('wall-chart', 'Mean wall time in seconds per strategy and worker count, with ± σ whiskers', wall)}
<h2>${esc(r.metric)} per config (mean ± σ over folds)</h2>
${barChartSvg('metric-chart', `${r.metric} per config, mean over folds with ± σ whiskers`, metric)}
${[...footnotes(r), machineLine(r)].map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
</body>
</html>
`;
}

function finite(v: number | null | undefined): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
