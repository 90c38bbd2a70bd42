/**
 * Logical partitions: P fixed, contiguous row ranges. They are the unit of data parallelism for the native
 * strategy, and every sum that could depend on summation order is computed partition by partition and merged
 * in partition order, in every strategy, so results depend on P and never on how many threads run.
 */

export const DEFAULT_PARTITIONS = 16;

/** P + 1 boundaries; partition p is rows [bounds[p], bounds[p + 1]). Empty partitions are allowed for tiny data. */
export function partitionBounds(rows: number, partitions: number): Uint32Array {
  const b = new Uint32Array(partitions + 1);
  for (let p = 0; p <= partitions; p++) b[p] = Math.floor((p * rows) / partitions);
  return b;
}
