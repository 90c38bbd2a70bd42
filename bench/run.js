#!/usr/bin/env node
// The benchmark suite. `npm run bench` runs every suite case and writes bench/RESULTS.md (machine, Node, date,
// then each case's figures and ratios, ours beside scikit-learn / pandas when /usr/bin/python3 has them, and the
// targets); `npm run bench -- NAME...` runs only those cases and keeps the other sections of RESULTS.md as they
// were. Suite cases live in bench/suite/<name>.js and export `title` and `run()` → {lines, targets}. The older
// stand-alone case (forest) still runs by name and writes its own RESULTS-forest.md. Build first
// (`npm run bench` does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const SUITE = { diabetes: './suite/diabetes.js', friedman: './suite/friedman.js', csv: './suite/csv.js', efficiency: './suite/efficiency.js', mljs: './suite/mljs.js', native: './suite/native.js', search: './suite/search.js', classification: './suite/classification.js', load: './suite/load.js', gbt: './suite/gbt.js' };
const STANDALONE = { forest: './forest.js' };
const RESULTS = new URL('./RESULTS.md', import.meta.url);

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !(n in SUITE) && !(n in STANDALONE));
if (unknown.length > 0) {
  console.error(`unknown bench case ${unknown.join(', ')} (suite: ${Object.keys(SUITE).join(', ')}; also: ${Object.keys(STANDALONE).join(', ')})`);
  process.exit(2);
}
const chosen = names.length > 0 ? names : Object.keys(SUITE);

for (const name of chosen.filter((n) => n in STANDALONE)) {
  const mod = await import(new URL(STANDALONE[name], import.meta.url));
  await mod.run(process.argv.slice(2).filter((a) => a.startsWith('-')));
}

const suiteNames = chosen.filter((n) => n in SUITE);
if (suiteNames.length > 0) {
  const previous = readSections();
  const loadBefore = os.loadavg()[0];
  const started = Date.now();
  const fresh = {};
  for (const name of suiteNames) {
    const mod = await import(new URL(SUITE[name], import.meta.url));
    const t0 = Date.now();
    const out = await mod.run();
    fresh[name] = { title: mod.title, ...out, seconds: (Date.now() - t0) / 1000 };
    process.stderr.write(`bench: ${name} done in ${fresh[name].seconds.toFixed(0)} s\n`);
  }
  const text = render(fresh, previous, { loadBefore, loadAfter: os.loadavg()[0], seconds: (Date.now() - started) / 1000 });
  fs.writeFileSync(RESULTS, text);
  process.stdout.write(text);
}

function pythonVersions() {
  const probe = ['sklearn', 'pandas', 'xgboost', 'optuna'].map((m) => `try:\n import ${m}; v.append(${m}.__version__)\nexcept ImportError: v.append("not-installed")`).join('\n');
  const res = spawnSync('/usr/bin/python3', ['-c', `import sys\nv=[sys.version.split()[0]]\n${probe}\nprint(" ".join(v))`], { encoding: 'utf8' });
  if (res.status !== 0) return '/usr/bin/python3 not found: the peer columns say "not installed"';
  const [py, sk, pd, xgb, opt] = res.stdout.trim().split(' ').map((v) => v.replace('not-installed', 'not installed'));
  return `/usr/bin/python3 ${py} (Debian), scikit-learn ${sk}, pandas ${pd}, xgboost ${xgb}, optuna ${opt}`;
}

/** Sections of the existing RESULTS.md by case name (between `<!-- case:NAME -->` markers), targets included. */
function readSections() {
  if (!fs.existsSync(RESULTS)) return {};
  const text = fs.readFileSync(RESULTS, 'utf8');
  const out = {};
  for (const m of text.matchAll(/<!-- case:(\w+) -->\n([\s\S]*?)<!-- \/case -->/g)) out[m[1]] = { section: m[2] };
  for (const m of text.matchAll(/<!-- target:(\w+) -->(.*)/g)) (out[m[1]] ??= {}).targetRows = [...(out[m[1]].targetRows ?? []), m[2]];
  return out;
}

function render(fresh, previous, meta) {
  const cpu = os.cpus();
  const lines = [
    '# Benchmark results',
    '',
    `- machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
    `- Node ${process.version}; ${pythonVersions()}`,
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; load average ${meta.loadBefore.toFixed(2)} before, ${meta.loadAfter.toFixed(2)} after; ${meta.seconds.toFixed(0)} s for ${Object.keys(fresh).join(', ')}`,
    '- reproduce: `npm run bench` (all cases) or `npm run bench -- NAME` (one of ' + Object.keys(SUITE).join(', ') + ')',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '| --- | ---: | :---: |',
  ];
  for (const name of Object.keys(SUITE)) {
    if (fresh[name]) {
      for (const t of fresh[name].targets) lines.push(`<!-- target:${name} -->| ${t.name} | ${t.value} | ${t.pass === null ? '—' : t.pass ? 'yes' : '**no**'} |`);
    } else for (const row of previous[name]?.targetRows ?? []) lines.push(`<!-- target:${name} -->${row}`);
  }
  for (const name of Object.keys(SUITE)) {
    lines.push('');
    if (fresh[name]) {
      lines.push(`<!-- case:${name} -->`, `## ${fresh[name].title}`, '', ...fresh[name].lines, '', `_\`npm run bench -- ${name}\`: ${fresh[name].seconds.toFixed(0)} s on ${new Date().toISOString().slice(0, 10)}_`, '<!-- /case -->');
    } else if (previous[name]?.section) lines.push(`<!-- case:${name} -->`, previous[name].section.trimEnd(), '<!-- /case -->');
  }
  return lines.join('\n') + '\n';
}
