import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** 150 rows: a user id (text, 11 users), a week number (the fold column), two features and a noisy target. */
export function usersCsv(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-folds-'));
  const lines = ['user,week,x1,x2,target'];
  for (let i = 0; i < 150; i++) {
    const x1 = Math.sin(i * 0.7);
    const x2 = ((i * 37) % 101) / 101;
    lines.push([`u${i % 11}`, `w${i % 4}`, x1.toFixed(5), x2.toFixed(5), (3 * x1 + x2 + ((i * 13) % 7) / 10).toFixed(5)].join(','));
  }
  const file = join(dir, 'users.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
