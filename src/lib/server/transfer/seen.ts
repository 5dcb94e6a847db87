/**
 * The external ids a check has met, each with the line it was first seen on: to name a repeated one. A million ids
 * in a `Map<string, number>` took about 100 MB of V8 heap, and V8 lets the heap grow to several times what is live,
 * so the import's peak memory grew with the file. Here the ids' UTF-8 bytes sit in one growing byte array, found
 * through an open-addressing table of typed arrays: about 30 bytes an id, outside the collected heap, and exact
 * (ids are compared byte for byte, never by hash alone).
 */
export class SeenIds {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Per entry: where its bytes start, how many there are, and its line. */
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private lines = new Int32Array(1024);
  private count = 0;
  /** Entry index + 1 per slot; 0 is empty. A power of two, kept at most half full. */
  private slots = new Int32Array(2048);
  private readonly encoder = new TextEncoder();
  private scratch = new Uint8Array(1024);

  /** `hash`: FNV-1a unless given (tests give a poor one, so that every id collides). */
  constructor(private readonly hash: (bytes: Uint8Array, len: number) => number = fnv1a) {}

  get size(): number {
    return this.count;
  }

  /** The line `id` was first seen on, or undefined; remembers `line` for it when it is new. */
  firstOrAdd(id: string, line: number): number | undefined {
    const len = this.encode(id);
    const key = this.scratch;
    const hash = this.hash(key, len);
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === 0) {
        this.insert(i, len, line);
        return undefined;
      }
      const e = slot - 1;
      if (this.lengths[e] === len && this.equal(this.starts[e]!, len)) return this.lines[e];
    }
  }

  private encode(id: string): number {
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    if (this.scratch.length < id.length * 3) this.scratch = new Uint8Array(id.length * 3);
    return this.encoder.encodeInto(id, this.scratch).written;
  }

  private equal(start: number, len: number): boolean {
    const b = this.bytes;
    const k = this.scratch;
    for (let j = 0; j < len; j++) if (b[start + j] !== k[j]) return false;
    return true;
  }

  private insert(slot: number, len: number, line: number): void {
    if (this.used + len > this.bytes.length) this.bytes = grow(this.bytes, this.used + len);
    this.bytes.set(this.scratch.subarray(0, len), this.used);
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts, this.count + 1);
      this.lengths = grow(this.lengths, this.count + 1);
      this.lines = grow(this.lines, this.count + 1);
    }
    const e = this.count++;
    this.starts[e] = this.used;
    this.lengths[e] = len;
    this.lines[e] = line;
    this.used += len;
    this.slots[slot] = e + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      const start = this.starts[e]!;
      let i = this.hash(this.bytes.subarray(start, start + this.lengths[e]!), this.lengths[e]!) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e + 1;
    }
    this.slots = slots;
  }
}

function grow<T extends Uint8Array | Int32Array>(a: T, needed: number): T {
  let n = a.length * 2;
  while (n < needed) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** FNV-1a over the first `len` bytes, as an unsigned 32-bit number. */
function fnv1a(b: Uint8Array, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    h ^= b[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
