/**
 * A native-strategy worker thread: receives its partitions once, then answers jobs. Level, predict and linear
 * jobs (and releases) are handled in the order they arrive: one thread, synchronous handlers, so a tree's levels
 * are applied in order. Subtree jobs wait behind them and are grown one node at a time, checking for new messages
 * between nodes: every worker must answer a level job before the driver can choose that level's splits, so a
 * level job never waits for a long subtree job, and the subtrees fill the time the level loop leaves idle.
 * Results are transferred, not cloned. A handler error is returned as data for that job; the worker stays up.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorRecord } from '../../../errors.js';
import { createStore, handleBoostJob, handleEdgesJob, handleLevel, handleLinearJob, handleLinearPredictJob, handleLogisticJob, handlePredictJob, releaseTrees, stateBytes, SubtreeJobRun, type PartitionStore } from './handler.js';
import type { DriverMessage, SubtreeJob, WorkerReply } from '../protocol.js';

let store: PartitionStore | undefined;
/** Messages in arrival order, except subtree jobs, which wait in `subtrees`. */
const queue: Exclude<DriverMessage, SubtreeJob>[] = [];
const subtrees: SubtreeJob[] = [];
let current: SubtreeJobRun | undefined;
let scheduled = false;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort!.on('message', (m: DriverMessage) => {
  if (m.type === 'subtree') subtrees.push(m);
  else queue.push(m);
  schedule();
});

/** Run one unit of work on the next turn of the event loop, after the messages that arrived meanwhile. */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    runOne();
    if (queue.length > 0 || subtrees.length > 0 || current) schedule();
  });
}

function runOne(): void {
  const m = queue.shift();
  if (m) {
    handle(m);
    return;
  }
  const job = current?.job ?? subtrees[0];
  if (!job) return;
  try {
    if (!current) {
      subtrees.shift();
      if (!store) throw new Error('worker received a job before its partitions');
      current = new SubtreeJobRun(store, job);
    }
    if (current.step()) return;
    const r = current.reply();
    current = undefined;
    reply(r, [r.nodes, r.feature, r.binThreshold, r.left, r.right, r.value, r.weight, r.gain].map((a) => a.buffer as ArrayBuffer));
  } catch (err) {
    current = undefined;
    reply({ type: 'error', job: job.job, error: toErrorRecord(err) });
  }
}

function handle(m: Exclude<DriverMessage, SubtreeJob>): void {
  if (m.type === 'init') {
    store = createStore(m);
    reply({ type: 'ready', bytesHeld: store.bytesHeld });
    return;
  }
  if (m.type === 'release') {
    if (store) releaseTrees(store, m.trees, m.fits);
    return;
  }
  try {
    if (m.type === 'edges') {
      const { thresholds, values } = handleEdgesJob(m);
      reply({ type: 'edges', job: m.job, thresholds, values }, [...thresholds.flat(), ...values.flat()].map((t) => t.buffer as ArrayBuffer));
      return;
    }
    if (!store) throw new Error('worker received a job before its partitions');
    if (m.type === 'level') {
      const { hist, samples } = handleLevel(store, m);
      const transfer = [hist.buffer as ArrayBuffer];
      for (const piece of samples ?? []) if (piece) transfer.push(...[piece.sizes, piece.codes, piece.counts, piece.yq].map((a) => a.buffer as ArrayBuffer));
      reply({ type: 'histograms', job: m.job, hist, stateBytes: stateBytes(store) + hist.byteLength, samples }, transfer);
    } else if (m.type === 'linear-predict') {
      const values = handleLinearPredictJob(store, m);
      reply({ type: 'linear-predictions', job: m.job, values }, [values.buffer as ArrayBuffer]);
    } else if (m.type === 'logistic') {
      const sums = handleLogisticJob(store, m);
      reply({ type: 'logistic', job: m.job, partitions: m.partitions, sums }, sums.map((s) => s.buffer as ArrayBuffer));
    } else if (m.type === 'boost') {
      const answers = handleBoostJob(store, m);
      reply({ type: 'boost', job: m.job, answers }, answers.flatMap((a) => (a.hist ? [a.hist.buffer as ArrayBuffer] : [])));
    } else if (m.type === 'predict') {
      const values = handlePredictJob(store, m);
      reply({ type: 'predictions', job: m.job, values }, [values.buffer as ArrayBuffer]);
    } else {
      const stats = handleLinearJob(store, m);
      reply({ type: 'linear', job: m.job, partitions: m.partitions, stats }, stats.map((s) => s.buffer as ArrayBuffer));
    }
  } catch (err) {
    reply({ type: 'error', job: m.job, error: toErrorRecord(err) });
  }
}
