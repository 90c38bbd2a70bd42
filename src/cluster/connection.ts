/**
 * Redis connections for the driver and the workers, built from a parsed `--cluster` address (credentials and TLS
 * from the URL only). BullMQ needs `maxRetriesPerRequest: null` on connections it blocks on; we use it on every
 * connection so a short Redis restart delays work instead of failing it. The first PING is bounded, so an
 * unreachable server is one clear error (URL redacted) rather than a silent hang.
 */
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { SweepError, UsageError } from '../errors.js';
import type { ClusterAddress } from './url.js';

/** The cluster cannot be reached or answered something unexpected. Exit 1 (not a usage error). */
export class ClusterError extends SweepError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'E_CLUSTER', exitCode: 1, hint });
  }
}

/** Where and as whom to connect: credentials and TLS come from the URL only, never from job data. */
function addressOptions(addr: ClusterAddress) {
  return {
    host: addr.host,
    port: addr.port,
    db: addr.db,
    ...(addr.username !== undefined ? { username: addr.username } : {}),
    ...(addr.password !== undefined ? { password: addr.password } : {}),
    ...(addr.tls ? { tls: { servername: addr.host } } : {}),
    maxRetriesPerRequest: null,
  };
}

export function redisOptions(addr: ClusterAddress): RedisOptions {
  return {
    ...addressOptions(addr),
    enableReadyCheck: true,
    connectTimeout: 5000,
    lazyConnect: true,
  };
}

/** Connection options for BullMQ's own connections (it connects and duplicates them itself). */
export function bullConnection(addr: ClusterAddress, name: string): BullRedisOptions {
  return { ...addressOptions(addr), connectionName: name };
}

/** Connect and PING within `timeoutMs`; throws ClusterError naming the redacted URL. */
export async function connectRedis(addr: ClusterAddress, name: string, timeoutMs = 10_000): Promise<Redis> {
  const redis = new Redis({ ...redisOptions(addr), connectionName: name });
  // ioredis reports connection trouble as 'error' events while it retries; the bounded PING below decides.
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(lastError ?? new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    redis.disconnect();
    const cause = lastError ?? err;
    const reason = (cause instanceof Error ? cause.message : String(cause)).replaceAll(addr.password ?? '\u0000', '***');
    throw new ClusterError(`cannot reach the cluster at ${addr.display}: ${reason}`, 'is redis-server running there, and are the host, port, password and TLS (rediss://) right?');
  } finally {
    clearTimeout(timer);
  }
  await selectDatabase(redis, addr);
  return redis;
}

/**
 * ioredis selects the URL's database while connecting and, when the server refuses (`/99` on a server with 16
 * databases), carries on in database 0. Select it explicitly and refuse the URL instead (exit 2).
 */
async function selectDatabase(redis: Redis, addr: ClusterAddress): Promise<void> {
  if (addr.db === 0) return;
  try {
    await redis.select(addr.db);
  } catch (err) {
    redis.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    throw new UsageError(`--cluster ${addr.display}: database ${addr.db} cannot be selected on that server (${reason})`, 'redis-server has 16 databases (0-15) unless its "databases" setting says otherwise');
  }
}

/** Close without waiting for a server that may be gone. */
export async function closeRedis(redis: Redis | undefined): Promise<void> {
  if (!redis) return;
  try {
    await Promise.race([redis.quit(), new Promise((r) => setTimeout(r, 1000).unref())]);
  } catch {
    /* already closed */
  }
  redis.disconnect();
}
