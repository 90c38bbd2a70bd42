/** The HTML reports' shared style and the one script of a page (sorting its tables; the page reads without it). */

export const PAGE_CSS = `:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1.5em; color: #222; }
h1 { font-size: 1.6em; margin: 0 0 0.2em; } h2 { font-size: 1.2em; margin: 1.8em 0 0.4em; border-bottom: 1px solid #e3e3e3; padding-bottom: 0.2em; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f4f4f4; padding: 0 3px; border-radius: 3px; }
table { border-collapse: collapse; margin: 0.6em 0; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; white-space: nowrap; }
th { background: #fafafa; position: sticky; top: 0; }
table.sortable th { cursor: pointer; user-select: none; } table.sortable th[aria-sort="ascending"]::after { content: " ▲"; } table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
.table-wrap { overflow-x: auto; max-width: 100%; } td.num { text-align: right; } th.metric { color: #1f4e79; }
tr.best td { background: #eef7f1; font-weight: 600; }
.bad { color: #b3261e; } .warn { color: #8a5300; background: #fff4e0; padding: 0.4em 0.8em; border-radius: 4px; } .ok { color: #2e7d32; }
.note { color: #666; font-size: 12.5px; max-width: 80ch; }
.best-box { border: 1px solid #cfe3d6; background: #f3faf5; border-radius: 6px; padding: 0.7em 1em; margin: 1em 0; }
.best-box .big { font-size: 1.5em; font-weight: 600; color: #1d6b3e; }
.grid { display: flex; flex-wrap: wrap; gap: 1em 2em; }
figure.chart { margin: 0.4em 0 1em; break-inside: avoid; } figure.chart figcaption { font-weight: 600; margin-bottom: 0.3em; }
figure.chart svg { max-width: 100%; height: auto; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 1.2em; } dt { color: #666; } dd { margin: 0; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  th { position: static; }
  table.sortable th::after { content: none !important; }
  section { break-inside: avoid-page; }
}`;

/** Click a header to sort by its column (numbers by data-sort, words as text); click again to reverse. */
export const SORT_SCRIPT = `for (const table of document.querySelectorAll('table.sortable')) {
  const heads = table.tHead.rows[0].cells;
  for (let col = 0; col < heads.length; col++) {
    heads[col].addEventListener('click', () => {
      const th = heads[col];
      const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      for (const h of heads) h.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', dir);
      const key = (row) => { const c = row.cells[col]; return c ? (c.dataset.sort ?? c.textContent) : ''; };
      const rows = [...table.tBodies[0].rows];
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const nx = x === '' ? NaN : Number(x), ny = y === '' ? NaN : Number(y);
        const d = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : Number.isNaN(nx) !== Number.isNaN(ny) ? (Number.isNaN(nx) ? 1 : -1) : String(x).localeCompare(String(y));
        return dir === 'ascending' ? d : -d;
      });
      for (const r of rows) table.tBodies[0].appendChild(r);
    });
  }
}`;
