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

/** 200 rows of car-like data with text columns (origin, brand) and missing cells (hp empty, weight NA). */
export function messyCsv(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-messy-'));
  const lines = ['origin,cyl,hp,weight,brand,mpg'];
  const brands = ['ford', 'chevy', 'toyota', 'honda', 'vw'];
  for (let i = 0; i < 200; i++) {
    const origin = ['USA', 'Japan', 'Europe'][Math.floor(i * 0.37) % 3];
    const cyl = [4, 6, 8][(i * 5) % 3];
    const weight = 1800 + cyl * 300 + ((i * 37) % 600);
    const hp = (i * 13) % 17 === 0 ? '' : String(60 + cyl * 15 + ((i * 31) % 40));
    const mpg = 50 - cyl * 2 - weight / 400 + (origin === 'Japan' ? 4 : 0) + ((i * 17) % 10) / 5;
    lines.push([origin, cyl, hp, (i * 11) % 19 === 0 ? 'NA' : String(weight), brands[(i * 3) % 5], mpg.toFixed(2)].join(','));
  }
  const file = join(dir, 'messy.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
