/**
 * The cluster's address: `redis://[user:pass@]host:port[/db]`, or `rediss://…` for TLS. Credentials and TLS come
 * from this URL or the environment only (never from job data), and the password is never printed: every message
 * that names the server goes through `redactUrl`.
 *
 * So that a password need not sit on a command line (where `ps` shows it), the URL may come from SWEEP_CLUSTER
 * (the CLI's --cluster falls back to it) and the password alone from SWEEP_CLUSTER_PASSWORD, or from
 * REDISCLI_AUTH as redis-cli reads it; a password in the URL wins over both.
 */
import { UsageError } from '../errors.js';

export interface ClusterAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL with its password replaced by "***" (what messages show). */
  display: string;
}

const HINT = 'expected redis://[user:pass@]host:port[/db] or rediss://… for TLS, e.g. redis://127.0.0.1:6379/0';

/** The URL with any password replaced by "***"; also for text that is not a valid URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.toString();
  } catch {
    // Not a URL: hide whatever sits between "//" and the last "@" before the host, if anything does.
    return url.replace(/\/\/([^/@]*)@/, (_, cred: string) => `//${cred.includes(':') ? `${cred.slice(0, cred.indexOf(':'))}:***` : '***'}@`);
  }
}

/** Environment variables that may hold the cluster's password (first set wins), after one in the URL itself. */
export const PASSWORD_ENV = ['SWEEP_CLUSTER_PASSWORD', 'REDISCLI_AUTH'] as const;
/** Environment variable the CLI reads the cluster URL from when --cluster is not given. */
export const URL_ENV = 'SWEEP_CLUSTER';

export function parseClusterUrl(url: string, env: NodeJS.ProcessEnv = process.env): ClusterAddress {
  const shown = redactUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--cluster ${shown}: not a URL`, HINT);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`--cluster ${shown}: the scheme must be redis: or rediss:, got ${u.protocol}`, HINT);
  if (u.hostname === '') throw new UsageError(`--cluster ${shown}: no host`, HINT);
  if (u.search !== '' || u.hash !== '') throw new UsageError(`--cluster ${shown}: query strings and fragments are not supported`, HINT);
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (!/^\d{0,5}$/.test(path)) throw new UsageError(`--cluster ${shown}: the path must be a database number, got "/${path}"`, HINT);
  const db = path === '' ? 0 : Number(path);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return {
    host,
    port,
    db,
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : passwordFromEnv(env)),
    tls: u.protocol === 'rediss:',
    display: shown,
  };
}

function passwordFromEnv(env: NodeJS.ProcessEnv): { password?: string } {
  for (const name of PASSWORD_ENV) {
    const v = env[name];
    if (v !== undefined && v !== '') return { password: v };
  }
  return {};
}
