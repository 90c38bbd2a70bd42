/** The public API's types, as a library user sees them: tsc over test/types/consumer.ts must pass. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the public types', () => {
  it('accept typed grids per model and refuse what the runtime would refuse (tsc over a consumer file)', () => {
    const tsc = resolve('node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', resolve('test/types/tsconfig.json')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
