/**
 * A small seeded pseudo-random generator (sfc32 seeded through splitmix32), so a seed with the
 * same inputs always produces the same organization: Math.random would make every run differ
 * and make seed bugs impossible to reproduce.
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** Roughly standard normal (Irwin-Hall of 4 uniforms, rescaled): bounded tails, no Infinity. */
  gauss(): number;
  /** A new generator whose stream depends on this one's seed and `label` only. */
  fork(label: string): Rng;
};

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator seeded by a number or a string. */
export function createRng(seed: number | string): Rng {
  const base = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  const init = splitmix32(base);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i += 1) next(); // discard the weakly mixed first outputs
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick() needs a non-empty list');
      return item;
    },
    gauss: () => (next() + next() + next() + next() - 2) * Math.sqrt(3),
    fork: (label) => createRng(hashString(`${base}:${label}`)),
  };
  return rng;
}

/**
 * Formats `value` rounded to `decimals` places as an exact decimal string. The float is only an
 * intermediate of the generator: it is rounded to an integer count of 10^-decimals units first,
 * and the string is built from that integer, so no binary-float artefact reaches a numeric column.
 */
export function toFixedDecimal(value: number, decimals: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  return formatScaled(Math.round(value * 10 ** decimals), decimals);
}

/** Formats an integer count of 10^-decimals units (`12345`, 2 -> `"123.45"`). */
export function formatScaled(units: number, decimals: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`Not a safe integer: ${units}`);
  if (decimals === 0) return String(units);
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0');
  const text = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative && /[1-9]/.test(digits) ? `-${text}` : text;
}
