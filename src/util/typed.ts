/** Typed-array helpers shared by the growable structures (tree builder, node stack, routing, grafting). */

export type NumericArray = Int32Array | Uint32Array | Uint8Array | Float64Array;

/** A new array of the same type and `length` elements: `a` at its start, the rest set to `fill`. */
export function resized<T extends NumericArray>(a: T, length: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}
