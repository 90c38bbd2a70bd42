/**
 * The driver's state of forests being grown level-wise (levels.ts) with their small nodes finished locally
 * (local.ts): types only, in a file of their own so that those two import it and not each other.
 */
import type { LevelState } from '../../../tree/levelwise.js';
import type { TreeArrays } from '../../../tree/tree.js';

/** A small node whose rows the next level's job fetches. id −1: the root, not created yet (the whole tree is local). */
export interface LocalNode {
  id: number;
  depth: number;
  key: number;
  /** Distinct rows (−1 for the root: not known yet). */
  n: number;
}

/** A (config, fold) forest being grown level-wise. */
export interface GrowingForest {
  readonly config: number;
  readonly fold: number;
  readonly maxBins: number;
  readonly bootstrap: boolean;
  readonly state: LevelState;
  /** Sweep-unique id per tree (the worker's cache key). */
  readonly ids: number[];
  /** Histogram length (totalBins × 3) for this maxBins. */
  readonly histLength: number;
  level: number;
  /** Per tree: splits made last level, to send with this level's first job, and their sets (protocol.ts SPLIT_FIELDS). */
  splits: Int32Array[];
  splitSets: Int32Array[];
  /** Per tree: node count two levels ago / one level ago (splits are searched in [scanFrom, nodes)). */
  scanFrom: Int32Array;
  prevNodes: Int32Array;
  /** This level's merged histograms (slots × histLength) and how many segments are still missing. */
  merged: Float64Array | null;
  waiting: number;
  /** Nodes with at most this many distinct rows are grown whole by a worker from their rows (local.ts); 0: never. */
  localRows: number;
  /** Per tree: small nodes whose rows this level's job asks for. */
  local: LocalNode[][];
  /** Per tree: the subtrees the workers grew from small nodes, by the level-wise node id they hang from (−1: the whole tree). */
  subtrees: Map<number, TreeArrays>[];
}
