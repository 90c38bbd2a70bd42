/**
 * The driver's handles on the native workers: plain node:worker_threads, one per block of partitions. Piscina
 * does not fit: its threads are interchangeable and any task may land on any of them, while a native worker is
 * stateful (it holds specific partitions and the row → node arrays of the trees being grown). A job is posted to
 * a given worker and its reply found by job id; a worker that dies fails every job it still owed and any job
 * sent later, so the driver never waits forever.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { NativeTransport, TransportCapabilities } from './context.js';
import { initPayload, type PayloadSource, type WorkerBlock } from '../assign.js';
import { messageBytes, replyTo, type AnsweredJob, type DriverMessage, type InitMessage, type ReplyOfJob, type WorkerReply } from '../protocol.js';

export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
}

type Pending = { resolve: (r: WorkerReply) => void; reject: (e: Error) => void };

class NativeWorker {
  private readonly pending = new Map<number, Pending>();
  private dead: Error | null = null;
  bytesHeld = 0;

  constructor(readonly index: number, readonly thread: Worker) {
    thread.on('message', (r: WorkerReply) => {
      const key = r.type === 'ready' ? -1 : r.job;
      const p = this.pending.get(key);
      if (!p) return;
      this.pending.delete(key);
      p.resolve(r);
    });
    const fail = (err: Error) => {
      this.dead ??= new WorkerFailure(`native worker ${index} died: ${err.message}`);
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
    };
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  /** Post a message that expects a reply (key −1: init's 'ready'). */
  request(key: number, message: DriverMessage, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.set(key, { resolve, reject });
      this.thread.postMessage(message, transfer);
    });
  }

  post(message: DriverMessage): void {
    if (!this.dead) this.thread.postMessage(message);
  }
}

export interface WorkerInit {
  message: InitMessage;
  transfer: ArrayBuffer[];
}

export class NativeWorkers implements NativeTransport {
  /** Local threads keep state, carry rows back, predict and share the driver's memory. */
  static readonly capabilities: TransportCapabilities = { keepsState: true, returnsRows: true, predicts: true, sharedMemory: true };
  readonly capabilities = NativeWorkers.capabilities;

  /** Bytes sent to workers: partition data at init, then every job message. */
  bytesShipped = 0;
  readonly jobsSent: Record<string, number> = {};
  private nextJob = 0;

  private constructor(private readonly workers: NativeWorker[], readonly startupMs: number) {}

  /**
   * Start `count` threads. They load their code while the caller prepares what to send them (init); jobs sent
   * before init are an error.
   */
  static spawn(count: number): NativeWorkers {
    const url = new URL('../worker/worker.js', import.meta.url);
    return new NativeWorkers(Array.from({ length: count }, (_, w) => new NativeWorker(w, new Worker(url))), 0);
  }

  /** Start one thread per init message and hand each its partitions; resolves when all are ready. */
  static async start(inits: readonly WorkerInit[]): Promise<NativeWorkers> {
    const group = NativeWorkers.spawn(inits.length);
    await group.initWith(inits);
    return group;
  }

  /** Hand every block its partitions: one init message per thread, copies of its rows only (assign.ts). */
  init(src: PayloadSource, blocks: readonly WorkerBlock[]): Promise<void> {
    return this.initWith(blocks.map((b) => initPayload(src, b)));
  }

  /** Hand every thread its partitions (one init message each); resolves when all are ready, closes all on failure. */
  async initWith(inits: readonly WorkerInit[]): Promise<void> {
    const t0 = performance.now();
    try {
      const ready = await Promise.all(
        inits.map((init, w) => {
          this.bytesShipped += messageBytes(init.message);
          return this.workers[w].request(-1, init.message, init.transfer);
        }),
      );
      ready.forEach((r, w) => (this.workers[w].bytesHeld = r.type === 'ready' ? r.bytesHeld : 0));
    } catch (err) {
      await this.close();
      throw err;
    }
    (this as { startupMs: number }).startupMs = performance.now() - t0;
  }

  get count(): number {
    return this.workers.length;
  }

  /** Bytes of partition data each worker reported holding. */
  bytesHeld(): number[] {
    return this.workers.map((w) => w.bytesHeld);
  }

  newJobId(): number {
    return this.nextJob++;
  }

  /** Send worker w a job (its id is message.job; `transfer`: buffers moved, not copied) and wait for its reply (replyTo checks it). */
  async run<J extends AnsweredJob>(w: number, message: J, transfer: ArrayBuffer[] = []): Promise<ReplyOfJob[J['type']]> {
    this.bytesShipped += messageBytes(message);
    this.jobsSent[message.type] = (this.jobsSent[message.type] ?? 0) + 1;
    return replyTo(w, message, await this.workers[w].request(message.job, message, transfer));
  }

  /** A message with no reply, to every worker. */
  broadcast(message: DriverMessage): void {
    for (const w of this.workers) {
      this.bytesShipped += messageBytes(message);
      w.post(message);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }
}
