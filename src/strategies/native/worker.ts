/**
 * A native-strategy worker thread: receives its partitions once, then answers jobs in the order they arrive
 * (one thread, synchronous handlers, so a tree's levels are applied in order). Results are transferred, not
 * cloned. A handler error is returned as data for that job; the worker stays up.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorRecord } from '../../errors.js';
import { createStore, handleLevel, handleLinearJob, handlePredictJob, handleSubtreeJob, releaseTrees, stateBytes, type PartitionStore } from './handler.js';
import type { DriverMessage, WorkerReply } from './protocol.js';

let store: PartitionStore | undefined;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort!.on('message', (m: DriverMessage) => {
  if (m.type === 'init') {
    store = createStore(m);
    reply({ type: 'ready', bytesHeld: store.bytesHeld });
    return;
  }
  if (m.type === 'release') {
    if (store) releaseTrees(store, m.trees);
    return;
  }
  try {
    if (!store) throw new Error('worker received a job before its partitions');
    if (m.type === 'level') {
      const { hist, samples } = handleLevel(store, m);
      const transfer = [hist.buffer as ArrayBuffer];
      for (const piece of samples ?? []) if (piece) transfer.push(...[piece.sizes, piece.codes, piece.counts, piece.yq].map((a) => a.buffer as ArrayBuffer));
      reply({ type: 'histograms', job: m.job, hist, stateBytes: stateBytes(store) + hist.byteLength, samples }, transfer);
    } else if (m.type === 'subtree') {
      const r = handleSubtreeJob(store, m);
      reply(r, [r.nodes, r.feature, r.binThreshold, r.left, r.right, r.value, r.weight, r.gain].map((a) => a.buffer as ArrayBuffer));
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
});
