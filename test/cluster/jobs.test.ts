import { describe, expect, it } from 'vitest';
import { decodeTyped, encodeDeep, encodeTyped } from '../../dist/cluster/codec.js';
import { validateJob } from '../../dist/cluster/jobs.js';

const base = {
  v: 1,
  sweepId: '0123456789abcdef',
  dataHash: 'a'.repeat(64),
  seed: 42,
  partitions: 16,
  evaluation: { kind: 'kfold', folds: 5 },
};
const task = { ...base, kind: 'task', taskId: `t${'b'.repeat(32)}`, model: 'rf', params: { numTrees: 10, maxDepth: 'none', bootstrap: true }, config: 3, fold: 4 };

function refusal(data: unknown): string {
  try {
    validateJob(data);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

describe('typed arrays through JSON', () => {
  it('keep their type and every bit', () => {
    const f = new Float64Array([0.1, -0, NaN, Infinity, 1e-300]);
    const back = decodeTyped(JSON.parse(JSON.stringify(encodeTyped(f))), 'f') as Float64Array;
    expect(back).toBeInstanceOf(Float64Array);
    expect(Buffer.from(back.buffer).equals(Buffer.from(f.buffer))).toBe(true);
    expect(decodeTyped(encodeTyped(new Int32Array([-1, 7])), 'i')).toEqual(new Int32Array([-1, 7]));
  });
  it('refuse unknown types and ragged byte lengths', () => {
    expect(() => decodeTyped({ $typed: 'Function', b64: '' }, 'x')).toThrow('x: unknown array type "Function"');
    expect(() => decodeTyped({ $typed: 'Float64Array', b64: 'AAAA' }, 'x')).toThrow('3 bytes is not a whole number of Float64Array elements');
  });
});

describe('validateJob', () => {
  it('accepts a thread-pool task and returns it unchanged', () => {
    expect(validateJob(task)).toEqual(task);
  });
  it('names the field that is wrong', () => {
    expect(refusal({ ...task, fold: -1 })).toBe('job.fold: expected an integer from 0 to 25499, got -1');
    expect(refusal({ ...task, model: 'evil' })).toBe('job.model: expected one of "rf", "gbt", "linear", "logistic", got "evil"');
    expect(refusal({ ...task, params: { numTrees: { $gt: 1 } } })).toBe('job.params.numTrees: expected a number, a boolean or a short string, got an object');
    expect(refusal({ ...task, evaluation: { kind: 'holdout', testFraction: 1.5 } })).toMatch(/^job.evaluation/);
    expect(refusal({ ...task, kind: 'shell' })).toBe('job.kind: expected one of task, udf, native, got "shell"');
    expect(refusal({ ...task, dataHash: '../../etc/passwd' })).toBe('job.dataHash: expected a sha256 (64 hex digits), got "../../etc/passwd"');
  });
  it('refuses unknown fields, so nothing extra can ride along', () => {
    expect(refusal({ ...task, code: 'process.exit()' })).toBe('job.code: unknown field');
    expect(refusal({ ...task, evaluation: { kind: 'kfold', folds: 5, extra: 1 } })).toMatch(/job.evaluation/);
  });
  it('accepts a UDF module only as a plain file name', () => {
    const udf = { ...task, kind: 'udf', metric: 'r2', module: 'knn.mjs' };
    expect(validateJob(udf)).toEqual(udf);
    for (const module of ['../evil.mjs', '/tmp/evil.mjs', 'sub/knn.mjs', '..\\evil.mjs', 'a..mjs']) {
      expect(refusal({ ...udf, module })).toContain(`job.module: ${JSON.stringify(module)} is not a plain file name inside the worker's --udf-dir`);
    }
    expect(refusal({ ...udf, module: 'knn.sh' })).toBe('job.module: expected a .mjs or .js file name, got "knn.sh"');
  });
  it('checks native level jobs down to the partial trees', () => {
    const tree = (left: number[], right: number[]) => ({
      id: 0, fold: 0, t: 0, bootstrap: true, level: 1,
      partial: {
        feature: new Int32Array(left.length), binThreshold: new Uint8Array(left.length), left: new Int32Array(left), right: new Int32Array(right),
        set: new Int32Array(left.length).fill(-1), sets: new Int32Array(0),
      },
      slotOfNode: new Int32Array([-1, 0, 1]),
    });
    const level = (trees: unknown[], partitions = [2, 3]) =>
      encodeDeep({ ...base, kind: 'native', jobId: 'n1-0-0', block: [2, 3], message: { type: 'level', job: 0, maxBins: 32, partitions, slots: 2, trees } });
    const ok = validateJob(level([tree([1, -1, -1], [2, -1, -1])])) as { message: { trees: { partial: { left: Int32Array } }[] } };
    expect(ok.message.trees[0].partial.left).toEqual(new Int32Array([1, -1, -1]));
    // A cycle (a child before its parent) could route a row forever: refused.
    expect(refusal(level([tree([0, -1, -1], [2, -1, -1])]))).toBe('job.message.trees[0].partial.left/right[0]: expected child nodes after 0 and before 3, got "0, 2"');
    expect(refusal(level([tree([1, -1, -1], [2, -1, -1])], [3, 2]))).toMatch(/^job.message.partitions: expected ascending contiguous/);
    expect(refusal(level([tree([1, -1, -1], [2, -1, -1])], [4]))).toMatch(/^job.message.partitions: expected partitions of the job's block \(2–3\)/);
    const withSplits = JSON.parse(JSON.stringify(level([tree([1, -1, -1], [2, -1, -1])])));
    // A split on a set of bins names one of the tree's sets (8 words each).
    const withSet = tree([1, -1, -1], [2, -1, -1]);
    withSet.partial.set = new Int32Array([0, -1, -1]);
    withSet.partial.sets = new Int32Array(8);
    expect(refusal(level([withSet]))).toBe('accepted');
    withSet.partial.set = new Int32Array([1, -1, -1]);
    expect(refusal(level([withSet]))).toBe('job.message.trees[0].partial.set[0]: expected -1 or a set from 0 to 0, got 1');
    withSet.partial.sets = new Int32Array(5);
    expect(refusal(level([withSet]))).toBe('job.message.trees[0].partial.sets: expected a multiple of 8 words, got 5');
    withSplits.message.trees[0].splits = encodeTyped(new Int32Array(5));
    expect(refusal(withSplits)).toBe('job.message.trees[0].splits: unknown field');
  });
  it('checks the other native jobs: edges, predict, subtree, linear-predict', () => {
    const native = (message: unknown) => encodeDeep({ ...base, kind: 'native', jobId: 'n1-0-0', block: [0], message });
    const edges = { type: 'edges', job: 1, maxBins: [32], features: [0, 1] };
    expect(refusal(native(edges))).toBe('accepted');
    expect(refusal(native({ ...edges, sample: new Uint32Array([3, 1]) }))).toBe('job.message.sample: expected ascending row numbers, got 1');
    expect(refusal(native({ ...edges, table: {} }))).toBe('job.message.table: unknown field');
    const trees = { nodes: new Int32Array([3]), feature: new Int32Array([0, 0, 0]), binThreshold: new Uint8Array(3), left: new Int32Array([1, -1, -1]), right: new Int32Array([2, -1, -1]), value: new Float64Array(3), set: new Int32Array([-1, -1, -1]), sets: new Int32Array(0) };
    const predict = { type: 'predict', job: 2, maxBins: 32, fold: 0, ...trees };
    expect(refusal(native(predict))).toBe('accepted');
    expect(refusal(native({ ...predict, left: new Int32Array([0, -1, -1]) }))).toBe('job.message.left/right[0]: expected child nodes after 0 and before 3, got "0, 2"');
    expect(refusal(native({ ...predict, set: new Int32Array([0, -1, -1]) }))).toBe('job.message.set[0]: expected -1 (the tree has no sets), got 0');
    expect(refusal(native({ ...predict, nodes: new Int32Array([1]), left: new Int32Array([-1, -1, -1]), right: new Int32Array([-1, -1, -1]) }))).toBe("job.message.nodes: expected tree sizes that sum to 3, got 1");
    const piece = { sizes: new Int32Array([2]), codes: new Uint8Array(4), counts: new Uint8Array(2), yq: new Float64Array(2) };
    const subtree = { type: 'subtree', job: 3, maxBins: 32, unit: 1, center: 0, roots: new Float64Array([7, 3, 1, 10, 2, 1, 0]), pieces: [piece] };
    expect(refusal(native(subtree))).toBe('accepted');
    expect(refusal(native({ ...subtree, pieces: [{ ...piece, counts: new Uint8Array(3) }] }))).toBe('job.message.pieces[0]: expected 2 counts and labels (the sum of sizes), got "3, 2"');
    expect(refusal(native({ ...subtree, roots: new Float64Array([7, 3, 1, 10, 0, 1, 0]) }))).toMatch(/^job\.message\.roots\[0\]: expected whole/);
    expect(refusal(native({ type: 'linear-predict', job: 4, fold: 0, coefficients: new Float64Array(2), intercepts: new Float64Array(1) }))).toBe('accepted');
    expect(refusal(native({ type: 'reduce', job: 5 }))).toMatch(/^job\.message\.type: expected one of edges, level, subtree, predict, linear, linear-predict, logistic/);
    const model = { mean: new Float64Array(2), std: new Float64Array(2), binomial: true, m: 1, free: new Uint8Array(3) };
    const logistic = { type: 'logistic', job: 6, fold: 0, partitions: [0], classes: 2, request: { kind: 'terms', model, theta: new Float64Array(3), lossOnly: false } };
    expect(refusal(native(logistic))).toBe('accepted');
    expect(refusal(native({ ...logistic, request: { kind: 'drop-tables' } }))).toMatch(/^job\.message\.request\.kind: expected one of moments, spread, terms, separates/);
    expect(refusal(native({ ...logistic, request: { ...logistic.request, lossOnly: 'yes' } }))).toMatch(/^job\.message\.request\.lossOnly: expected true or false/);
  });
});

// Hostile review class 20: forged jobs.
describe('validateJob against forged jobs', () => {
  it('refuses extra fields named like Object.prototype members', () => {
    for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      expect(refusal(JSON.parse(JSON.stringify({ ...task, [key]: 1 })))).toBe(`job.${key}: unknown field`);
    }
    expect(refusal(JSON.parse(`{${JSON.stringify(task).slice(1, -1)},"__proto__":{"x":1}}`))).toBe('job.__proto__: unknown field');
  });
  it('refuses parameter values the CLI refuses, with the CLI rule', () => {
    expect(refusal({ ...task, params: { numTrees: 'abc' } })).toBe('job.params: numTrees must be a number, got "abc"');
    expect(refusal({ ...task, params: { numTrees: -5 } })).toBe('job.params: numTrees must be >= 1 and <= 100000, got -5');
    expect(refusal({ ...task, params: { maxDepth: -1 } })).toMatch(/^job\.params: maxDepth must be >= \d+.*got -1$/);
    expect(refusal({ ...task, model: 'linear', params: { elasticNetParam: 7 } })).toMatch(/^job\.params: elasticNetParam must be .*got 7$/);
    expect(refusal({ ...task, params: { regParam: 0.1 } })).toBe('job.params.regParam: not a parameter of model rf');
    expect(refusal({ ...task, params: { numTrees: '10' } })).toBe('job.params.numTrees: expected the value 10, got "10"');
  });
  it('refuses a metric named like an Object.prototype member, and unknown metrics of built-in models', () => {
    const udf = { ...task, kind: 'udf', metric: 'r2' };
    expect(refusal(udf)).toBe('accepted');
    expect(refusal({ ...udf, metric: '__proto__' })).toMatch(/^job\.metric: expected a metric name \(not a name of Object\.prototype\)/);
    expect(refusal({ ...udf, metric: 'logloss' })).toBe('job.metric: expected one of r2, corr2, mae, rmse, accuracy, balanced_accuracy, log_loss, roc_auc, f1, brier, got "logloss"');
    expect(refusal({ ...udf, metric: 'logloss', module: 'mine.mjs' })).toBe('accepted');
  });
});
