/** A seeded pseudo-random source: the same seed, the same draws. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, below). */
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  /** One of `choices`, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T;
  /** true with probability `p`. */
  chance(p: number): boolean;
}

/** mulberry32: small, fast, and good enough to spread requests over their kinds. */
const mulberry32 = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * The random source of one request of a run: seeded by the run's seed and the request's index,
 * so that any one request can be made again alone (`--seed 7 --only 1234`).
 *
 * @example
 * ```ts
 * const r = randomFor(7, 1234);
 * r.pick(['GET', 'POST']);
 * ```
 */
export const randomFor = (seed: number, index: number): Random => {
  const next = mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index, 0xc2b2ae35));
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('Nothing to pick from');
      return items[int(items.length)] as T;
    },
    weighted: <T>(choices: readonly (readonly [number, T])[]): T => {
      const total = choices.reduce((sum, [weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [weight, choice] of choices) {
        roll -= weight;
        if (roll < 0) return choice;
      }
      const last = choices.at(-1);
      if (last === undefined) throw new Error('Nothing to pick from');
      return last[1];
    },
    chance: (p: number) => next() < p,
  };
};
