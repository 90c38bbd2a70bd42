/**
 * `sweep completion bash|zsh|fish`: the scripts are made from the program's own options, parse in their shells,
 * and (bash, driven here through COMP_WORDS) complete commands, flags, choices and files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

const script = (shell: string) => execFileSync(process.execPath, [BIN, 'completion', shell], { encoding: 'utf8' });

/** What bash offers for the words typed so far (the last one being completed). */
function bashComplete(words: string[], cwd: string): string[] {
  const file = join(cwd, 'sweep.bash');
  writeFileSync(file, script('bash'));
  const cmd = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _sweep; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}

describe('sweep completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-completion-'));
  writeFileSync(join(dir, 'houses.csv'), 'a,target\n1,2\n');

  it('bash: commands, flags of the command, choices of a flag, files for --data', () => {
    expect(bashComplete(['sweep', 'co'], dir)).toEqual(['compare', 'completion']);
    expect(bashComplete(['sweep', 'run', '--max-'], dir)).toEqual(['--max-depth', '--max-features', '--max-bins', '--max-leaf-nodes']);
    expect(bashComplete(['sweep', 'run', '--format', ''], dir)).toEqual(['table', 'json', 'csv', 'markdown', 'html']);
    expect(bashComplete(['sweep', 'compare', '--format', 'h'], dir)).toEqual(['html']);
    expect(bashComplete(['sweep', 'run', '--data', 'hou'], dir)).toEqual(['houses.csv']);
    expect(bashComplete(['sweep', 'worker', '--c'], dir)).toEqual(['--cluster', '--concurrency']);
  });

  it('zsh and fish: the scripts parse, and name every flag of run', () => {
    const flags = bashComplete(['sweep', 'run', '--'], dir);
    expect(flags).toContain('--no-checkpoint');
    expect(flags.length).toBeGreaterThanOrEqual(40);
    for (const shell of ['zsh', 'fish']) {
      const text = script(shell);
      const file = join(dir, `sweep.${shell}`);
      writeFileSync(file, text);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(check.status, `${shell} -n: ${check.stderr}`).toBe(0);
      for (const f of flags) expect(text, `${shell} misses ${f}`).toContain(shell === 'fish' ? `-l ${f.slice(2)}` : `'${f}[`);
    }
  });

  it('refuses an unknown shell with exit 2', () => {
    const r = spawnSync(process.execPath, [BIN, 'completion', 'tcsh'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('sweep: completion: unknown shell "tcsh" (one of bash, zsh, fish)\n');
  });
});
