/**
 * The worker side of the native strategy as pure functions of (partition data, message): no worker_threads
 * here, so the cluster transport can run the same handlers, and tests call them directly.
 *
 * A store holds one contiguous block of rows (the worker's partitions): bin codes per maxBins and quantized labels
 * (forest) or raw columns (linear), and the fold of each row. For CACHED trees it also keeps, per tree, the
 * bootstrap counts (derived from (seed, t, global row), never shipped) and the row → node array, advanced one level
 * per job with the splits the driver made (applyLevelSplits); STATELESS trees are routed from the root each time.
 * A level job may also ask for the rows of some small nodes (their codes, counts and labels); a subtree job then
 * grows such nodes to the end from the rows of every partition (local.ts). A boosting fit's rows stay on the
 * worker between its calls (boost.ts).
 */
export { createStore, localRanges, releaseTrees, stateBytes, treeCounts, type PartitionStore } from './store.js';
export { handleLevel, handleLevelJob, nodeSamples } from './level.js';
export { handleSubtreeJob, SubtreeJobRun } from './subtree.js';
export { SubtreeWorkspace } from './store.js';
export { handleEdgesJob } from './edges.js';
export { handlePredictJob } from './predict.js';
export { handleLinearJob, handleLinearPredictJob, handleLogisticJob } from './linear.js';
export { handleBoostJob } from './boost.js';
