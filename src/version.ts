/**
 * The tool's version, read once from the package's own package.json (dist/version.js and src/version.ts both
 * sit one level below it), so `--version`, checkpoint headers and reports can never disagree with the package.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const VERSION: string = readVersion();
