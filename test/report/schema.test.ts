/**
 * `--format json` is documented by docs/result.schema.json (and `sweep compare`'s by docs/compare.schema.json) (JSON Schema draft-07, generated from the SweepResult
 * type and its field comments by `npm run schema`). The committed file must be what the type generates today, and
 * real outputs of every kind of sweep must validate against it.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/helpers.js';

const SCHEMA_FILE = 'docs/result.schema.json';
const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

const RUNS: Record<string, string[]> = {
  grid: ['--trees', '5,10', '--max-depth', '3,none'],
  classification: ['--data', 'breast-cancer', '--trees', '5', '--holdout', '0.2'],
  multiclass: ['--data', 'wine', '--model', 'logistic', '--reg-param', '0.1,1'],
  tpe: ['--search', 'tpe', '--trials', '6', '--trees', '3..20', '--max-depth', '2..8'],
  halving: ['--search', 'halving', '--trials', '4', '--trees', '8', '--max-depth', '2..8'],
  gbt: ['--model', 'gbt', '--iterations', '10,20', '--learning-rate', '0.1'],
  udf: ['--udf', 'test/fixtures/udf/misbehave.mjs', '--param', 'mode=ok,throw'],
  native: ['--strategy', 'native', '--trees', '5', '--max-depth', '3,4'],
};

describe('the JSON Schema of --format json', () => {
  it('is what the SweepResult type generates (run npm run schema after changing result.ts)', () => {
    const generated = createGenerator({ path: 'src/sweep/result.ts', type: 'SweepResult', tsconfig: 'tsconfig.json', skipTypeCheck: true }).createSchema('SweepResult');
    expect({ ...generated, $id: committed.$id }).toEqual(committed);
    expect(committed.$id).toMatch(/result\.schema\.json$/);
  }, 60_000);

  it('sweep compare --format json: its schema is current and a real comparison validates', async () => {
    const compare = JSON.parse(readFileSync('docs/compare.schema.json', 'utf8')) as Record<string, unknown>;
    const generated = createGenerator({ path: 'src/compare/result.ts', type: 'CompareResult', tsconfig: 'tsconfig.json', skipTypeCheck: true }).createSchema('CompareResult');
    expect({ ...generated, $id: compare.$id }).toEqual(compare);
    const r = await runCli(['compare', '--trees', '4', '--max-depth', '3', '--folds', '2', '--strategies', 'thread-pool,udf', '--workers', '1', '--repeat', '1', '--in-process', '--format', 'json'], tempDir(), 120_000);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(compare);
    validate(out);
    expect(validate.errors ?? []).toEqual([]);
    expect(Object.keys(out).slice(0, 4)).toEqual(['schema', 'version', 'startedAt', 'command']);
  }, 120_000);

  it.each(Object.keys(RUNS))('validates the output of a real %s sweep', async (name) => {
    const dir = tempDir();
    const args = RUNS[name].map((a) => (a.startsWith('test/') ? `${process.cwd()}/${a}` : a));
    const r = await runCli(['run', ...args, '--folds', '3', '--workers', '1', '--format', 'json'], dir, 120_000);
    expect([0, 1]).toContain(r.code); // 1: the udf sweep's failed trial
    const result = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(committed);
    const ok = validate(result);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(ok).toBe(true);
    expect(result.schema).toBe(1);
    expect(result.command[0]).toBe('sweep');
  }, 120_000);
});
