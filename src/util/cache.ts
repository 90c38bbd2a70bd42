/**
 * A few values by key, the least recently used dropped past `keep` (a worker's datasets, stores, stored bins).
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly keep: number) {}

  /** The value, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): V {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.keep) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /**
   * The promise for key, made by `load` when absent (concurrent callers share it). One that rejects, or resolves
   * to a value `keepIf` refuses, is forgotten, so the next call loads again.
   */
  load<T>(this: BoundedCache<Promise<T>>, key: string, load: () => Promise<T>, keepIf: (v: T) => boolean = () => true): Promise<T> {
    const hit = this.get(key);
    if (hit) return hit;
    const p = load();
    p.then(
      (v) => {
        if (!keepIf(v) && this.entries.get(key) === p) this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === p) this.entries.delete(key);
      },
    );
    return this.set(key, p);
  }
}
