/**
 * Exact unique people over any window of up to 25 hours, from hourly numbers alone.
 *
 * For each hour the read models keep how many people were active in it, and how many of those had
 * their previous active hour 1, 2, … 24 hours earlier (`gaps`). A person is active somewhere in a
 * window [a, b) exactly once with "previous active hour before a": at their first active hour x in
 * it. So the people of the window are Σ over its hours x of people(x) − Σ_{g ≤ x − a} gaps(x)[g].
 * Day buckets of any whole-hour time zone (23 to 25 hours long) come from the same numbers.
 */
export const GAP_CLASSES = 24;

/** How one hour's numbers change: people active in it, and people per gap class (index 0 = 1 hour). */
export interface HourDelta {
  people: number;
  gaps: number[];
}

/** Changes per hour, keyed by the caller (e.g. `system|hour`). */
export type ActivityDelta = Map<string, HourDelta>;

/** The hour an instant falls in, as hours since the epoch (UTC). */
export function hourNumber(ms: number): number {
  return Math.floor(ms / 3_600_000);
}

/**
 * Adds to `out` the change in hourly numbers when the active-hour sequences `before` (each one
 * person's sorted distinct hours) become the single sequence `after`: a person gaining hours, or
 * several people merged into one. Only hours in [regionLo, regionHi] are counted; every hour
 * outside keeps its numbers when the region spans from the first changed hour to 24 hours after the
 * last one. Each sequence must hold its hours from regionLo − 24 on (earlier ones cannot matter).
 */
export function addGapDelta(
  out: ActivityDelta,
  keyOf: (hour: number) => string,
  before: readonly (readonly number[])[],
  after: readonly number[],
  regionLo: number,
  regionHi: number,
): void {
  for (const seq of before) contribute(out, keyOf, seq, regionLo, regionHi, -1);
  contribute(out, keyOf, after, regionLo, regionHi, 1);
}

function contribute(out: ActivityDelta, keyOf: (hour: number) => string, seq: readonly number[], lo: number, hi: number, sign: 1 | -1): void {
  for (let i = 0; i < seq.length; i++) {
    const hour = seq[i]!;
    if (hour < lo || hour > hi) continue;
    const key = keyOf(hour);
    let delta = out.get(key);
    if (!delta) {
      delta = { people: 0, gaps: new Array<number>(GAP_CLASSES).fill(0) };
      out.set(key, delta);
    }
    delta.people += sign;
    const gap = i > 0 ? hour - seq[i - 1]! : Infinity;
    if (gap <= GAP_CLASSES) delta.gaps[gap - 1]! += sign;
  }
}

/** Sorted distinct union of sorted distinct sequences. */
export function unionHours(...sequences: readonly (readonly number[])[]): number[] {
  const all = new Set<number>();
  for (const seq of sequences) for (const h of seq) all.add(h);
  return [...all].sort((a, b) => a - b);
}

/** Drops changes that cancelled out, so unchanged hours are not written. */
export function compactDelta(delta: ActivityDelta): ActivityDelta {
  for (const [key, d] of delta) if (d.people === 0 && d.gaps.every((g) => g === 0)) delta.delete(key);
  return delta;
}

/**
 * People active in a window of hours, from the hourly numbers of the hours in it (a test oracle and
 * the memory of the SQL query): `window` starts at hour `start`.
 */
export function peopleInWindow(hours: readonly { hour: number; people: number; gaps: readonly number[] }[], start: number): number {
  let total = 0;
  for (const h of hours) {
    const k = h.hour - start;
    let repeat = 0;
    for (let g = 1; g <= Math.min(k, GAP_CLASSES); g++) repeat += h.gaps[g - 1]!;
    total += h.people - repeat;
  }
  return total;
}
