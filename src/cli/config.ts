/**
 * `sweep run --config sweep.yaml`: a sweep described in a file (YAML, or JSON, which YAML reads too), shaped like a
 * W&B sweep:
 *
 *   method: tpe                       # grid | random | tpe (W&B's "bayes" too) | halving | hyperband
 *   metric: {name: r2, goal: maximize}
 *   trials: 30                        # W&B: run_cap
 *   batch: 8
 *   parameters:
 *     numTrees: {min: 10, max: 200}
 *     maxDepth: {values: [4, 8, none]}
 *     minSamplesLeaf: {min: 1, max: 64, distribution: log_uniform_values}
 *   early_terminate: {type: hyperband, min_iter: 3, eta: 3}
 *   data: diabetes                    # or {path: my.csv, target: price}; also features, ignore, categorical,
 *                                     #   numeric, na_values, missing
 *   model: rf
 *   evaluation: {folds: 5}            # or {test_fraction: 0.2}; repeats, shuffle, time_series, fold_col, group_col
 *   strategy: thread-pool
 *   seed: 42
 *
 * The file fills in the flags; a flag given on the command line wins. Every key is checked: an unknown one, or a
 * value of the wrong shape, is refused with the file's line and column (the yaml package's positions).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { DataError } from '../errors.js';

type Flags = Record<string, unknown>;

/** Fill the flags the command line left at their defaults from the config file. */
export function applyConfig(file: string, flags: Flags, cmd: Command): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code ?? String(err)})`, { file });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text.startsWith('\uFEFF') ? text.slice(1) : text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined | { range?: [number, number, number] }): { line?: number; column?: number } => {
    const offset = node && 'range' in node && node.range ? node.range[0] : undefined;
    if (offset === undefined) return {};
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (node: Node | null | undefined, message: string): never => {
    throw new DataError(message, { file, ...at(node) });
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = lines.linePos(e.pos[0]);
    throw new DataError(e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), { file, line: p.line, column: p.col });
  }
  const root = doc.contents;
  if (!isMap(root)) throw new DataError('a config file is a mapping of keys (method, metric, parameters, …)', { file, ...at(root) });
  const set = (flag: string, value: unknown) => {
    const source = cmd.getOptionValueSource(flag);
    if (source === 'cli' || source === 'env') return; // the command line (or its environment variable) wins
    flags[flag] = value;
  };
  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : fail(keyNode, 'keys must be plain names');
    const value = pair.value as Node | null;
    const handler = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (!handler) fail(keyNode, `unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
    handler!({ value, set, fail, doc });
  }
}

interface KeyContext {
  value: Node | null;
  set: (flag: string, value: unknown) => void;
  fail: (node: Node | null | undefined, message: string) => never;
  doc: Document;
}

const scalarOf = (c: KeyContext, node: Node | null, what: string, types: readonly ('string' | 'number' | 'boolean')[]): string | number | boolean => {
  if (!isScalar(node) || !types.includes(typeof node.value as 'string')) return c.fail(node, `${what} must be ${types.join(' or ')}`);
  return node.value as string | number | boolean;
};

const mapOf = (c: KeyContext, node: Node | null, what: string, allowed: readonly string[]): Map<string, Node | null> => {
  if (!isMap(node)) return c.fail(node, `${what} must be a mapping`);
  const out = new Map<string, Node | null>();
  for (const pair of node.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : c.fail(pair.key as Node, `${what}: keys must be plain names`);
    if (!allowed.includes(k)) c.fail(pair.key as Node, `${what}: unknown key "${k}" (known: ${allowed.join(', ')})`);
    out.set(k, pair.value as Node | null);
  }
  return out;
};

const text = (flag: string, what: string) => (c: KeyContext) => c.set(flag, String(scalarOf(c, c.value, what, ['string', 'number'])));

const KEYS: Record<string, (c: KeyContext) => void> = {
  method: (c) => {
    const m = String(scalarOf(c, c.value, 'method', ['string']));
    const methods: Record<string, string> = { grid: 'grid', random: 'random', tpe: 'tpe', bayes: 'tpe', halving: 'halving', hyperband: 'hyperband' };
    if (!Object.hasOwn(methods, m)) c.fail(c.value, `method must be one of ${Object.keys(methods).join(', ')}, got "${m}"`);
    c.set('search', methods[m]);
  },
  metric: (c) => {
    if (isScalar(c.value)) {
      c.set('metric', String(scalarOf(c, c.value, 'metric', ['string'])));
      return;
    }
    const m = mapOf(c, c.value, 'metric', ['name', 'goal']);
    const name = String(scalarOf(c, m.get('name') ?? null, 'metric.name', ['string']));
    const goalNode = m.get('goal');
    if (goalNode === undefined) {
      c.set('metric', name);
      return;
    }
    const goal = String(scalarOf(c, goalNode, 'metric.goal', ['string']));
    if (goal !== 'maximize' && goal !== 'minimize') c.fail(goalNode, `metric.goal must be maximize or minimize, got "${goal}"`);
    c.set('metric', `${name}:${goal === 'maximize' ? 'max' : 'min'}`);
  },
  trials: text('trials', 'trials'),
  run_cap: text('trials', 'run_cap'),
  batch: text('batch', 'batch'),
  time_budget: text('timeBudget', 'time_budget'),
  seed: text('seed', 'seed'),
  partitions: text('partitions', 'partitions'),
  workers: text('workers', 'workers'),
  strategy: text('strategy', 'strategy'),
  model: text('model', 'model'),
  udf: text('udf', 'udf'),
  data: (c) => {
    if (isScalar(c.value)) {
      c.set('data', String(scalarOf(c, c.value, 'data', ['string'])));
      return;
    }
    const m = mapOf(c, c.value, 'data', ['path', 'target', 'features', 'ignore', 'categorical', 'numeric', 'na_values', 'missing']);
    for (const [k, v] of m) {
      const flag = k === 'path' ? 'data' : k === 'na_values' ? 'naValues' : k;
      const value = isSeq(v) ? v.items.map((i) => String(scalarOf(c, i as Node, `data.${k}`, ['string']))).join(',') : String(scalarOf(c, v, `data.${k}`, ['string']));
      c.set(flag, value);
    }
  },
  evaluation: (c) => {
    const keys = { folds: 'folds', test_fraction: 'testFraction', repeats: 'repeats', time_series: 'timeSeries', fold_col: 'foldCol', group_col: 'groupCol' } as const;
    const m = mapOf(c, c.value, 'evaluation', [...Object.keys(keys), 'shuffle']);
    for (const [key, flag] of Object.entries(keys)) {
      if (m.has(key)) c.set(flag, String(scalarOf(c, m.get(key)!, `evaluation.${key}`, key.endsWith('_col') ? ['string'] : ['number'])));
    }
    if (m.has('shuffle')) c.set('shuffle', scalarOf(c, m.get('shuffle')!, 'evaluation.shuffle', ['boolean']));
  },
  early_terminate: (c) => {
    const m = mapOf(c, c.value, 'early_terminate', ['type', 'min_iter', 'eta']);
    const type = m.get('type');
    if (type !== undefined) {
      const t = String(scalarOf(c, type, 'early_terminate.type', ['string']));
      if (t !== 'hyperband' && t !== 'halving') c.fail(type, `early_terminate.type must be hyperband or halving, got "${t}"`);
      c.set('search', t);
    }
    if (m.has('min_iter')) c.set('minResource', String(scalarOf(c, m.get('min_iter')!, 'early_terminate.min_iter', ['number'])));
    if (m.has('eta')) c.set('factor', String(scalarOf(c, m.get('eta')!, 'early_terminate.eta', ['number'])));
  },
  parameters: (c) => {
    if (!isMap(c.value)) {
      c.fail(c.value, 'parameters must be a mapping of parameter name → {values: [...]} or {min, max}');
      return;
    }
    // Written as a grid file's JSON object and read by the same parser (the CLI's --grid), so values are checked
    // by the same rules; a parameter's own problems name its line.
    const grid: Record<string, unknown> = {};
    for (const pair of c.value.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : c.fail(pair.key as Node, 'parameter names must be plain names');
      const v = pair.value as Node | null;
      if (isScalar(v)) {
        grid[name] = v.value;
        continue;
      }
      const m = mapOf(c, v, `parameters.${name}`, ['values', 'value', 'min', 'max', 'distribution', 'log', 'type']);
      const js = (v as Node).toJSON() as Record<string, unknown>;
      if (m.has('value')) grid[name] = js.value;
      else grid[name] = js;
    }
    c.set('gridObject', grid);
  },
};
