/**
 * xorshift32: a small seeded generator, the same sequence on every machine, so that a randomised test or a synthetic
 * benchmark can be replayed. Numbers in [0, 1).
 */
export function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}
