// A user UDF that fails in any way fails only its own config; a module that cannot be used stops the sweep
// before any group is made.
import { describe, expect, it } from 'vitest';
import { UdfLoadError } from '../../dist/errors.js';
import type { GroupEvent } from '../../dist/strategies/udf/udf.js';
import { loadUdfModule } from '../../dist/strategies/udf/user-module.js';
import { fixture, lineData, makePlan, runUdf } from './udf-fixture.js';

describe('udf strategy, failing UDFs', () => {
  // 'hang' last: a timeout counts from dispatch, so a task queued behind a hanging one must not share its clock.
  const modes = ['ok', 'throw', 'shape', 'nan', 'nometric', 'exit', 'crash', 'string', 'hang'];

  it('fails each misbehaving config alone, with the message and the frame in the user file', async () => {
    const plan = makePlan(lineData(40), modes.map((mode) => ({ mode })), { taskTimeoutMs: 3000 });
    const { outcomes, stats } = await runUdf(plan, { module: fixture('misbehave.mjs') });
    const byMode = (mode: string) => outcomes.filter((o) => plan.configs[o.config].mode === mode);
    for (const mode of modes) expect(byMode(mode)).toHaveLength(2);
    expect(byMode('ok').map((o) => [o.status, o.metrics])).toEqual([
      ['ok', { r2: 0.5, rows: 40 }],
      ['ok', { r2: 0.5, rows: 40 }],
    ]);
    const err = (mode: string) => byMode(mode)[0].error;
    for (const mode of modes.slice(1)) expect(byMode(mode).map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(err('throw')).toEqual({ name: 'RangeError', message: 'k must be odd', frame: 'test/fixtures/udf/misbehave.mjs:3:31' });
    expect(err('shape')?.message).toBe('UDF returned [1,2,3]; expected an object of finite numbers such as { r2: 0.42 }');
    expect(err('nan')?.message).toBe('UDF returned non-numeric or non-finite values (r2: "NaN"); expected an object of finite numbers such as { r2: 0.42 }');
    expect(err('nometric')?.message).toBe('UDF result has no "r2", the ranking metric (it returned mae); return it or choose another --metric');
    expect(err('exit')).toMatchObject({ message: 'UDF called process.exit(1)', frame: 'test/fixtures/udf/misbehave.mjs:13:32' });
    expect(err('crash')?.message).toBe('boom in a timer');
    expect(err('string')?.message).toBe('UDF threw "plain string"');
    expect(err('hang')?.message).toBe('task timed out after 3 s');
    expect(stats.results.numRows).toBe(2); // only the ok rows
  });

  it('fails a result without the chosen ranking metric, and accepts it with --metric', async () => {
    const plan = makePlan(lineData(20), [{ k: 1 }]);
    const bad = await runUdf(plan, { module: fixture('mean.mjs'), metric: 'mae' });
    expect(bad.outcomes.map((o) => o.error?.message)).toEqual([
      'UDF result has no "mae", the ranking metric (it returned r2, rmse, rows, trainRows, k); return it or choose another --metric',
      'UDF result has no "mae", the ranking metric (it returned r2, rmse, rows, trainRows, k); return it or choose another --metric',
    ]);
    const good = await runUdf(plan, { module: fixture('mean.mjs'), metric: 'rmse' });
    expect(good.outcomes.map((o) => o.status)).toEqual(['ok', 'ok']);
  });
});

describe('udf modules that cannot be used', () => {
  it.each([
    ['nope.mjs', /^--udf .*nope\.mjs: no such file$/],
    ['syntax-error.mjs', /^--udf .*syntax-error\.mjs: cannot load: test\/fixtures\/udf\/syntax-error\.mjs:2:18: SyntaxError: Unexpected token ';'$/],
    ['no-default.mjs', /^--udf .*no-default\.mjs: the module has no default export$/],
    ['default-number.mjs', /^--udf .*default-number\.mjs: the default export is number, not a function$/],
    ['throws-on-import.mjs', /^--udf .*throws-on-import\.mjs: cannot load: test\/fixtures\/udf\/throws-on-import\.mjs:1:7: Error: broken at import$/],
    ['../../strategies/udf-fixture.ts', /a TypeScript file; compile it to \.js\/\.mjs first/],
  ])('%s → UdfLoadError (exit 2) before any group is made', async (name, message) => {
    const events: GroupEvent[] = [];
    const run = runUdf(makePlan(lineData(10), [{}]), { module: fixture(name), onGroup: (e) => events.push(e) });
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toBeInstanceOf(UdfLoadError);
    await expect(run).rejects.toMatchObject({ exitCode: 2, code: 'E_UDF_LOAD' });
    expect(events).toEqual([]);
  });

  it('loads a good module (in a probe thread) and gives its path and URL', async () => {
    const loaded = await loadUdfModule(fixture('mean.mjs'));
    expect(loaded.path.endsWith('mean.mjs')).toBe(true);
    expect(loaded.url.startsWith('file:///')).toBe(true);
  });
});
