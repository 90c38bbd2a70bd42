import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateDataset } from '../../dist/data/dataset.js';
import { CheckpointWriter, baseId, checkpointsFor, defaultCheckpointPath, readCheckpoints } from '../../dist/sweep/checkpoint.js';
import type { TaskOutcome } from '../../dist/sweep/tasks.js';

function tinyData(shift = 0) {
  const d = allocateDataset('t', ['a', 'b'], 'y', 3);
  d.x.set([1, 2, 3, 4, 5, 6 + shift]);
  d.y.set([7, 8, 9]);
  return d;
}
const metrics = { r2: 0.5, corr2: 0.6, mae: 1, rmse: 2 };
const ok = (config: number, fold: number): TaskOutcome => ({ config, fold, status: 'ok', metrics, fitMs: 3, predictMs: 1 });

describe('checkpoint identity', () => {
  const id = { data: tinyData(), model: 'rf', evaluation: { kind: 'kfold', folds: 2 }, seed: 42, partitions: 16, configs: [{ numTrees: 10 }] };
  it('depends on data content, seed and model but not on the grid', () => {
    expect(baseId(id)).toBe(baseId({ ...id, data: tinyData() }));
    expect(baseId(id)).not.toBe(baseId({ ...id, data: tinyData(1) }));
    expect(baseId(id)).not.toBe(baseId({ ...id, seed: 43 }));
    expect(baseId(id)).not.toBe(baseId({ ...id, model: 'linear' }));
    expect(baseId(id)).toBe(baseId({ ...id, configs: [{ numTrees: 20 }] }));
    expect(defaultCheckpointPath(id)).not.toBe(defaultCheckpointPath({ ...id, configs: [{ numTrees: 20 }] }));
  });
});

describe('CheckpointWriter and readCheckpoints', () => {
  it('round-trips finished tasks, maps them onto a changed grid, and skips a cut-off last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-ckpt-'));
    const id = { data: tinyData(), model: 'rf', evaluation: {}, seed: 1, partitions: 16, configs: [{ numTrees: 10 }, { numTrees: 20 }] };
    const path = defaultCheckpointPath(id, dir);
    const w = new CheckpointWriter(path);
    w.append(ok(0, 0), { numTrees: 10 });
    w.append(ok(1, 1), { numTrees: 20 });
    w.append({ config: 1, fold: 0, status: 'failed', error: { name: 'Error', message: 'x' }, fitMs: 0, predictMs: 0 }, { numTrees: 20 });
    w.close();
    appendFileSync(path, '{"task":"[[\\"numTrees\\",50]]#0","par');
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);

    // A new grid that keeps numTrees 20 (now config 0) and adds 50.
    const files = checkpointsFor({ ...id, configs: [{ numTrees: 20 }, { numTrees: 50 }] }, dir);
    expect(files).toEqual([path]);
    const state = readCheckpoints(files, [{ numTrees: 20 }, { numTrees: 50 }], 2);
    expect(state.done).toEqual([{ config: 0, fold: 1, status: 'ok', metrics, fitMs: 3, predictMs: 1 }]);
    expect(state.warnings).toHaveLength(1);
    expect(state.warnings[0]).toMatch(/:4: partial last line \(cut off by a crash\) ignored/);
  });
});
