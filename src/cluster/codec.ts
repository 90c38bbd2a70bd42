/**
 * Typed arrays through JSON. BullMQ stores job data and our result records as JSON text, which has no binary
 * type; a typed array travels as {"$typed": "<Int32Array|…>", "b64": "<little-endian bytes>"} and comes back as
 * the same type with the same bits (NaN payloads and −0 included). Decoding is strict: a tag naming any other
 * type, or a byte length that is not a multiple of the element size, is an error — job data is never code.
 */
export const TYPED_KINDS = ['Uint8Array', 'Int32Array', 'Uint32Array', 'Float64Array'] as const;
export type TypedKind = (typeof TYPED_KINDS)[number];
type Typed = Uint8Array | Int32Array | Uint32Array | Float64Array;

export interface EncodedTyped {
  $typed: TypedKind;
  b64: string;
}

const CTORS: Record<TypedKind, { new (b: ArrayBuffer, o: number, n: number): Typed; BYTES_PER_ELEMENT: number }> = {
  Uint8Array,
  Int32Array,
  Uint32Array,
  Float64Array,
};

function kindOf(v: unknown): TypedKind | undefined {
  for (const k of TYPED_KINDS) if (v instanceof CTORS[k]) return k;
  return undefined;
}

export function encodeTyped(v: Typed): EncodedTyped {
  const kind = kindOf(v);
  if (!kind) throw new TypeError('not a supported typed array');
  return { $typed: kind, b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
}

export function isEncodedTyped(v: unknown): v is EncodedTyped {
  return v !== null && typeof v === 'object' && '$typed' in v;
}

/** Decode one tagged array; `what` names the field in errors. */
export function decodeTyped(v: unknown, what: string): Typed {
  if (!isEncodedTyped(v)) throw new TypeError(`${what}: expected an encoded typed array`);
  const keys = Object.keys(v);
  if (keys.length !== 2 || typeof v.b64 !== 'string') throw new TypeError(`${what}: expected exactly {$typed, b64}`);
  if (!(TYPED_KINDS as readonly string[]).includes(v.$typed)) throw new TypeError(`${what}: unknown array type ${JSON.stringify(v.$typed)}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v.b64)) throw new TypeError(`${what}: not base64`);
  const bytes = Buffer.from(v.b64, 'base64');
  const ctor = CTORS[v.$typed];
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0) throw new TypeError(`${what}: ${bytes.byteLength} bytes is not a whole number of ${v.$typed} elements`);
  // Copy into a fresh, aligned buffer (Node's Buffer may be a pooled, unaligned slice).
  const own = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(own).set(bytes);
  return new ctor(own, 0, bytes.byteLength / ctor.BYTES_PER_ELEMENT);
}

/** JSON text of a value whose typed arrays (at any depth) are encoded. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (ArrayBuffer.isView(v) && kindOf(v) ? encodeTyped(v as Typed) : v));
}

/** A parsed value with every encoded typed array (at any depth) decoded; for trusted records (our own results). */
export function reviveTyped(value: unknown, path = 'value'): unknown {
  if (isEncodedTyped(value)) return decodeTyped(value, path);
  if (Array.isArray(value)) return value.map((v, i) => reviveTyped(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = reviveTyped(v, `${path}.${k}`);
    return out;
  }
  return value;
}

/** The value with every typed array (at any depth) replaced by its encoded form: ready for JSON.stringify. */
export function encodeDeep(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && kindOf(value)) return encodeTyped(value as Typed);
  if (Array.isArray(value)) return value.map(encodeDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeDeep(v);
    return out;
  }
  return value;
}
