#!/usr/bin/env node
// `node bench/run.js [NAME...]`: run bench cases by name (all when none given). A case is bench/<name>.js
// exporting `run(args)`; results go to stdout and to bench/RESULTS-<name>.md. Build first (`npm run build`).
const CASES = { forest: './forest.js' };

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !(n in CASES));
if (unknown.length > 0) {
  console.error(`unknown bench case ${unknown.join(', ')} (known: ${Object.keys(CASES).join(', ')})`);
  process.exit(2);
}
for (const name of names.length > 0 ? names : Object.keys(CASES)) {
  const mod = await import(new URL(CASES[name], import.meta.url));
  await mod.run(process.argv.slice(2).filter((a) => a.startsWith('-')));
}
