import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateDataset } from '../../dist/data/dataset.js';
import { CheckpointWriter, baseId, checkpointHeader, checkpointsFor, defaultCheckpointPath, headerDifferences, readCheckpoints } from '../../dist/sweep/checkpoint.js';
import type { TaskOutcome } from '../../dist/strategies/tasks.js';

function tinyData(shift = 0) {
  const d = allocateDataset('t', ['a', 'b'], 'y', 3);
  d.x.set([1, 2, 3, 4, 5, 6 + shift]);
  d.y.set([7, 8, 9]);
  return d;
}
const metrics = { r2: 0.5, corr2: 0.6, mae: 1, rmse: 2 };
const ok = (config: number, fold: number): TaskOutcome => ({ config, fold, status: 'ok', metrics, fitMs: 3, predictMs: 1 });
const tmp = () => mkdtempSync(join(tmpdir(), 'sweep-ckpt-'));

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

  it('names every field in which two headers differ', () => {
    const h = checkpointHeader(id);
    expect(headerDifferences(h, checkpointHeader(id))).toEqual([]);
    expect(headerDifferences(h, checkpointHeader({ ...id, seed: 1 }))).toEqual(['seed 42 there, 1 here']);
    expect(headerDifferences(h, checkpointHeader({ ...id, data: tinyData(1) }))[0]).toMatch(/^data content \(sha256\) "[0-9a-f]{12}" there, "[0-9a-f]{12}" here$/);
    expect(headerDifferences(h, checkpointHeader({ ...id, evaluation: { kind: 'holdout', testFraction: 0.2 } }))).toEqual([
      'evaluation {"kind":"kfold","folds":2} there, {"kind":"holdout","testFraction":0.2} here',
    ]);
    expect(headerDifferences({ ...h, version: '0.0.1' }, h)).toEqual([`sweep version "0.0.1" there, "${h.version}" here`]);
  });
});

describe('CheckpointWriter and readCheckpoints', () => {
  const id = { data: tinyData(), model: 'rf', evaluation: {}, seed: 1, partitions: 16, configs: [{ numTrees: 10 }, { numTrees: 20 }] };
  const header = checkpointHeader(id);

  it('round-trips finished tasks, maps them onto a changed grid, and skips a cut-off last line', () => {
    const dir = tmp();
    const path = defaultCheckpointPath(id, dir);
    const w = new CheckpointWriter(path, header);
    w.append(ok(0, 0), { numTrees: 10 });
    w.append(ok(1, 1), { numTrees: 20 });
    w.append({ config: 1, fold: 0, status: 'failed', error: { name: 'Error', message: 'x' }, fitMs: 0, predictMs: 0 }, { numTrees: 20 });
    w.close();
    appendFileSync(path, '{"task":"[[\\"numTrees\\",50]]#0","par');
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0])).toEqual({ header });

    // A new grid that keeps numTrees 20 (now config 0) and adds 50.
    const files = checkpointsFor({ ...id, configs: [{ numTrees: 20 }, { numTrees: 50 }] }, dir);
    expect(files).toEqual([path]);
    const state = readCheckpoints(files, header, [{ numTrees: 20 }, { numTrees: 50 }], 2);
    expect(state.done).toEqual([{ config: 0, fold: 1, status: 'ok', metrics, fitMs: 3, predictMs: 1 }]);
    expect(state.warnings).toHaveLength(1);
    expect(state.warnings[0]).toMatch(/:5: partial last line \(cut off by a crash\) ignored/);
  });

  it('refuses to read or append to a checkpoint another sweep wrote, saying what differs', () => {
    const path = join(tmp(), 'c.jsonl');
    const w = new CheckpointWriter(path, header);
    w.append(ok(0, 0), { numTrees: 10 });
    w.close();
    const other = checkpointHeader({ ...id, seed: 2, data: tinyData(1) });
    expect(() => new CheckpointWriter(path, other)).toThrow(/checkpoint .*c\.jsonl was made by another sweep: data content \(sha256\) .*; seed 1 there, 2 here/);
    expect(() => readCheckpoints([path], other, id.configs, 2)).toThrow(/was made by another sweep/);
    writeFileSync(path, JSON.stringify({ task: 'x' }) + '\n');
    expect(() => readCheckpoints([path], header, id.configs, 2)).toThrow(/has no sweep checkpoint header/);
  });

  // Hostile review class 3: every line is validated; bad ones are skipped and counted, never counted as done.
  it('skips invalid task lines with one warning that counts them', () => {
    const path = join(tmp(), 'c.jsonl');
    const w = new CheckpointWriter(path, header);
    w.append(ok(0, 0), { numTrees: 10 });
    w.close();
    const good = JSON.parse(readFileSync(path, 'utf8').split('\n')[1]);
    const bad = [
      null,
      [1, 2],
      { ...good, metrics: { ...metrics, r2: '0.5' } },
      { ...good, fold: 0.5, task: '[["numTrees",10]]#0.5' },
      { ...good, metrics: undefined },
      { ...good, fitMs: 'slow' },
      { ...good, metrics: { ...metrics, r2: 1e308 } },
      { ...good, metrics: { ...metrics, mae: -1 } },
      { ...good, fold: 7, task: '[["numTrees",10]]#7' },
      { ...good, task: '[["numTrees",99]]#0' },
      { ...good, status: 'failed', metrics: undefined },
    ];
    const lines = readFileSync(path, 'utf8').split('\n')[0] + '\n' + bad.map((b) => JSON.stringify(b)).join('\n') + '\n';
    writeFileSync(path, lines);
    const state = readCheckpoints([path], header, id.configs, 2);
    expect(state.done).toEqual([]);
    expect(state.warnings).toHaveLength(1);
    expect(state.warnings[0]).toMatch(/11 invalid lines skipped \(line 2: not an object; line 3: not an object; line 4: metric r2 is not a number; …\); their tasks run again/);
    // The same file with the good line back: only it counts.
    writeFileSync(path, lines + JSON.stringify(good) + '\n');
    expect(readCheckpoints([path], header, id.configs, 2).done).toEqual([ok(0, 0)]);
  });

  it('reads back its own header when it is longer than one read (thousands of feature names)', () => {
    const names = Array.from({ length: 6000 }, (_, j) => `feature_with_a_long_name_${j}`);
    const wide = allocateDataset('wide', names, 'y', 2);
    const wideId = { data: wide, model: 'rf', evaluation: {}, seed: 1, partitions: 16, configs: [{ numTrees: 10 }] };
    const wideHeader = checkpointHeader(wideId);
    expect(JSON.stringify({ header: wideHeader }).length).toBeGreaterThan(100_000);
    const path = join(tmp(), 'wide.jsonl');
    const w = new CheckpointWriter(path, wideHeader);
    w.append(ok(0, 0), { numTrees: 10 });
    w.close();
    const again = new CheckpointWriter(path, wideHeader); // an existing file of this sweep: accepted
    again.close();
    expect(readCheckpoints([path], wideHeader, wideId.configs, 2).done).toEqual([ok(0, 0)]);
  });
});
