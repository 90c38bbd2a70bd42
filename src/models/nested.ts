/**
 * A thread's nested fits: models whose longer fit continues a shorter one of the same rows and parameters (a
 * forest's trees, boosting's iterations), kept per training-row array (evaluate.ts keeps one per fold and thread) and
 * bounded in tree nodes, so a `--trees 10,20,50` or `--iterations 100,200` sweep grows each fold's model once.
 */
import type { FitInput } from './model.js';

/** Tree nodes kept per thread and kind (about 45 bytes each: ~12 MB, small beside a --worker-memory limit). */
export const NESTED_CACHE_NODES = 1 << 18;

interface NestedCache<T> {
  x: Float64Array;
  nodes: number;
  byTrain: WeakMap<Uint32Array, Map<string, T>>;
}

/** The longest fit kept under `key` for this input's rows, and how to keep a longer one (`added` more nodes). */
export function nestedFits<T>(cache: Map<string, unknown>, kind: string, input: FitInput): { get(key: string): T | undefined; keep(key: string, fit: T, added: number): void } {
  let nc = cache.get(kind) as NestedCache<T> | undefined;
  if (!nc || nc.x !== input.data.x) {
    nc = { x: input.data.x, nodes: 0, byTrain: new WeakMap() };
    cache.set(kind, nc);
  }
  const store = nc;
  let byKey = store.byTrain.get(input.train);
  if (!byKey) {
    byKey = new Map();
    store.byTrain.set(input.train, byKey);
  }
  const map = byKey;
  return {
    get: (key) => map.get(key),
    keep: (key, fit, added) => {
      if (store.nodes + added > NESTED_CACHE_NODES) return;
      map.set(key, fit);
      store.nodes += added;
    },
  };
}
