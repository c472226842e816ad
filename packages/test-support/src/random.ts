/**
 * mulberry32: a small seeded PRNG, uniform in [0, 1), so a run (soak, benchmark, generated input)
 * can be replayed from its seed. The simulator keeps its own streams (model/random.ts): they are
 * part of what it publishes, and a published package cannot depend on this private one.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
