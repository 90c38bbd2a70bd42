/** `sweep compare --format markdown`: the table as GitHub Markdown, then identity, verdicts and notes as a list. */
import type { CompareResult } from '../compare/result.js';
import { COMPARE_HEAD, entryCells, footnotes, headingLine, identityLine, machineLine, mismatchLines } from './compare-cells.js';

export function renderCompareMarkdown(r: CompareResult): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const lines = [escapeMarkdown(headingLine(r)), '', row(COMPARE_HEAD), row(COMPARE_HEAD.map((_, i) => (i === 0 ? '---' : '---:')))];
  for (const e of r.entries) lines.push(row(entryCells(e)));
  lines.push('', `- **${escapeMarkdown(identityLine(r))}**`);
  for (const m of mismatchLines(r)) lines.push(`  - ${escapeMarkdown(m)}`);
  for (const v of r.verdicts) lines.push(`- ${escapeMarkdown(v)}`);
  lines.push('');
  for (const n of [...footnotes(r), machineLine(r)]) lines.push(`_${escapeMarkdown(n)}_  `);
  return lines.join('\n') + '\n';
}

function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_<>|])/g, '\\$1');
}
