/**
 * One level of many forests at once, on the driver: the frontier nodes of every tree being grown (all folds × all
 * trees of up to K configs) are packed into passes ("groups") whose histograms stay under a memory bound, as
 * Spark's maxMemoryInMB groups nodes; each pass is one job to every worker; the replies are merged in worker order
 * (= partition order: blocks are contiguous) straight into each forest's level buffer, and a forest's level is
 * finished (splits chosen) as soon as all of its slots have arrived.
 *
 * A forest whose frontier alone exceeds the bound is split over several passes by slot range; several small
 * forests share one pass. Every node's histogram is independent, so the grouping changes no result.
 */
import { addHistogram } from '../../../tree/histogram.js';
import { finishLevel, planLevel } from '../../../tree/levelwise.js';
import type { RoutingTree } from '../../../tree/levelwise.js';
import { inNodeOrder, SET_WORDS } from '../../../tree/tree.js';
import type { GrowingForest } from './growing.js';
import { detachSmallNodes, localNodeIds } from './local.js';
import type { LevelJob, LevelTree } from '../protocol.js';

export type { GrowingForest, LocalNode } from './growing.js';


export interface Segment {
  forest: GrowingForest;
  /** Slots [a, b) of the forest's request, at [offset, offset + b − a) of the pass. */
  a: number;
  b: number;
  offset: number;
}

export interface Pass {
  maxBins: number;
  histLength: number;
  slots: number;
  segments: Segment[];
}

/** Plan the next level of every forest; returns the forests that still have nodes to split. */
export function planForests(forests: readonly GrowingForest[]): GrowingForest[] {
  return forests.filter((f) => {
    if (planLevel(f.state) !== null) return true;
    if (!f.local.some((l) => l.length > 0)) return false;
    // Only rows to fetch: a job with no histogram slots.
    f.state.request = { slots: 0, slotOfNode: f.state.trees.map(() => new Int32Array(0)) };
    return true;
  });
}

/** Pack the planned forests' slots into passes of at most maxBytes of histograms each (per maxBins). */
export function packPasses(forests: readonly GrowingForest[], maxBytes: number): Pass[] {
  const passes: Pass[] = [];
  const open = new Map<number, Pass>();
  for (const f of forests) {
    const req = f.state.request!;
    const maxSlots = Math.max(1, Math.floor(maxBytes / (8 * f.histLength)));
    let pass = open.get(f.maxBins);
    const newPass = (): Pass => {
      const p: Pass = { maxBins: f.maxBins, histLength: f.histLength, slots: 0, segments: [] };
      passes.push(p);
      open.set(f.maxBins, p);
      return p;
    };
    // A forest that fits in one pass is never split: it waits for a fresh pass instead.
    if (!pass || (req.slots <= maxSlots && pass.slots + req.slots > maxSlots)) pass = newPass();
    f.waiting = 0;
    if (req.slots === 0) {
      // Nothing to scan, only local nodes' rows to fetch: an empty segment carries the request.
      pass.segments.push({ forest: f, a: 0, b: 0, offset: pass.slots });
      f.waiting = 1;
      continue;
    }
    for (let a = 0; a < req.slots; ) {
      if (pass.slots === maxSlots) pass = newPass();
      const b = Math.min(req.slots, a + (maxSlots - pass.slots));
      pass.segments.push({ forest: f, a, b, offset: pass.slots });
      pass.slots += b - a;
      f.waiting++;
      a = b;
    }
  }
  return passes;
}

/** The job of one pass (without its partitions, which differ per worker). */
export function passJob(pass: Pass, job: number, stateless: boolean): LevelJob {
  const trees: LevelTree[] = [];
  for (const { forest: f, a, b, offset } of pass.segments) {
    const req = f.state.request!;
    req.slotOfNode.forEach((map, g) => {
      const local = new Int32Array(map.length).fill(-1);
      let any = false;
      for (let i = 0; i < map.length; i++) {
        const s = map[i];
        if (s >= a && s < b) {
          local[i] = offset + s - a;
          any = true;
        }
      }
      // The forest's first segment also asks for the rows of the tree's local nodes.
      const samples = a === 0 && f.local[g].length > 0 ? localNodeIds(f, g) : undefined;
      if (!any && !samples) return;
      const tree: LevelTree = { id: f.ids[g], fold: f.fold, t: f.state.trees[g].t, bootstrap: f.bootstrap, level: f.level, slotOfNode: local };
      if (samples) tree.samples = samples;
      if (stateless) tree.partial = partialTree(f.state.routing[g], f.state.trees[g].builder.nodes);
      else if (f.splits[g].length > 0) {
        tree.splits = f.splits[g];
        if (f.splitSets[g].length > 0) tree.splitSets = f.splitSets[g];
      }
      trees.push(tree);
    });
  }
  return { type: 'level', job, maxBins: pass.maxBins, partitions: [], slots: pass.slots, trees };
}

/**
 * Merge the workers' replies to a pass (in worker order) into the forests' level buffers; finish every forest
 * whose level is now complete.
 */
export function mergePass(pass: Pass, replies: readonly Float64Array[]): void {
  const L = pass.histLength;
  const expected = pass.segments.reduce((n, s) => Math.max(n, (s.offset + s.b - s.a) * L), 0);
  replies.forEach((hist, w) => {
    if (hist.length < expected) throw new Error(`native worker ${w} sent ${hist.length} histogram values for a pass of ${expected}`);
  });
  for (const { forest: f, a, b, offset } of pass.segments) {
    const parts = replies.map((hist) => hist.subarray(offset * L, (offset + b - a) * L));
    let target: Float64Array;
    if (a === 0 && b === f.state.request!.slots) {
      // The whole level in one segment: worker 0's transferred reply becomes the merged buffer (no copy).
      target = f.merged = parts[0];
    } else {
      f.merged ??= new Float64Array(f.state.request!.slots * L);
      target = f.merged.subarray(a * L, b * L);
      target.set(parts[0]); // 0 + x = x: histogram entries are never −0
    }
    for (let w = 1; w < parts.length; w++) addHistogram(target, parts[w]);
    if (--f.waiting === 0) finishForestLevel(f);
  }
}

/** The (forest, tree) pairs whose local nodes' rows a pass asks for, in the job's order (passJob's). */
export function sampleRequests(pass: Pass): { forest: GrowingForest; g: number }[] {
  const out: { forest: GrowingForest; g: number }[] = [];
  for (const { forest: f, a } of pass.segments) {
    if (a !== 0) continue;
    f.local.forEach((nodes, g) => {
      if (nodes.length > 0) out.push({ forest: f, g });
    });
  }
  return out;
}

/** Choose the level's splits and record, per tree, the splits the workers must apply next level. */
export function finishForestLevel(f: GrowingForest): void {
  finishLevel(f.state, f.merged!);
  f.merged = null;
  f.state.trees.forEach((tree, g) => {
    const b = tree.builder;
    // A node is split at the level after it was created (the root: the level it was created), so this level's
    // splits lie among the nodes created since two levels ago; re-sending the root's split once is harmless.
    const out: number[] = [];
    const sets: number[] = [];
    for (let i = f.scanFrom[g]; i < b.nodes; i++) {
      if (b.left[i] < 0) continue;
      const q = b.set.length > 0 ? b.set[i] : -1;
      out.push(i, b.feature[i], b.binThreshold[i], b.left[i], b.right[i], q < 0 ? -1 : sets.length / SET_WORDS);
      for (let k = 0; q >= 0 && k < SET_WORDS; k++) sets.push(b.sets[q * SET_WORDS + k]);
    }
    f.splits[g] = Int32Array.from(out);
    f.splitSets[g] = Int32Array.from(sets);
    f.scanFrom[g] = f.prevNodes[g];
    f.prevNodes[g] = b.nodes;
  });
  detachSmallNodes(f);
  f.level++;
}

/** Trimmed copy of a partial tree's routing arrays (for stateless jobs). */
export function partialTree(t: RoutingTree, nodes: number): RoutingTree {
  return { feature: t.feature.slice(0, nodes), binThreshold: t.binThreshold.slice(0, nodes), left: t.left.slice(0, nodes), right: t.right.slice(0, nodes), ...inNodeOrder(t.set.subarray(0, nodes), t.sets) };
}
