import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addGapDelta, GAP_CLASSES, peopleInWindow, unionHours, type ActivityDelta } from './activity-gaps';

type Stats = Map<number, { people: number; gaps: number[] }>;

// The numbers straight from every person's full sequence.
function fromScratch(people: Map<string, number[]>): Stats {
  const stats: Stats = new Map();
  for (const seq of people.values()) {
    seq.forEach((hour, i) => {
      const s = stats.get(hour) ?? { people: 0, gaps: new Array<number>(GAP_CLASSES).fill(0) };
      s.people++;
      const gap = i > 0 ? hour - seq[i - 1]! : Infinity;
      if (gap <= GAP_CLASSES) s.gaps[gap - 1]!++;
      stats.set(hour, s);
    });
  }
  return stats;
}

function apply(stats: Stats, delta: ActivityDelta): void {
  for (const [key, d] of delta) {
    const hour = Number(key);
    const s = stats.get(hour) ?? { people: 0, gaps: new Array<number>(GAP_CLASSES).fill(0) };
    s.people += d.people;
    d.gaps.forEach((g, i) => (s.gaps[i]! += g));
    if (s.people === 0 && s.gaps.every((g) => g === 0)) stats.delete(hour);
    else stats.set(hour, s);
  }
}

// What the projector loads: the hours of a sequence from `lo` to `hi`.
const window = (seq: readonly number[], lo: number, hi: number) => seq.filter((h) => h >= lo && h <= hi);

describe('hourly gap numbers', () => {
  it('stay equal to numbers from scratch under added hours and merges, loading only windows', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), person: fc.integer({ min: 0, max: 5 }), hours: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 6 }) }),
      fc.record({ kind: fc.constant('merge' as const), from: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }), into: fc.integer({ min: 0, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const people = new Map<string, number[]>();
        const stats: Stats = new Map();
        for (const s of steps) {
          const delta: ActivityDelta = new Map();
          if (s.kind === 'add') {
            const id = `p${s.person}`;
            const added = unionHours(s.hours);
            const lo = added[0]!;
            const hi = added.at(-1)! + GAP_CLASSES;
            const old = window(people.get(id) ?? [], lo - GAP_CLASSES, hi);
            addGapDelta(delta, String, [old], unionHours(old, added), lo, hi);
            people.set(id, unionHours(people.get(id) ?? [], added));
          } else {
            const into = `p${s.into}`;
            const members = [...new Set(s.from.map((f) => `p${f}`))].filter((m) => m !== into && people.has(m));
            if (members.length === 0) continue;
            const memberSeqs = members.map((m) => people.get(m)!);
            const all = unionHours(...memberSeqs);
            const lo = all[0]!;
            const hi = all.at(-1)! + GAP_CLASSES;
            const rootWindow = window(people.get(into) ?? [], lo - GAP_CLASSES, hi);
            addGapDelta(delta, String, [rootWindow, ...memberSeqs], unionHours(rootWindow, ...memberSeqs), lo, hi);
            people.set(into, unionHours(people.get(into) ?? [], ...memberSeqs));
            for (const m of members) people.delete(m);
          }
          apply(stats, delta);
        }
        expect(stats).toEqual(fromScratch(people));
      }),
      { numRuns: 300 },
    );
  });

  it('count the distinct people of any window of up to 25 hours', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 15 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 25 }),
        (raw, start, length) => {
          const people = new Map(raw.map((hours, i) => [`p${i}`, unionHours(hours)]));
          const stats = fromScratch(people);
          const inWindow = [...stats.entries()].filter(([h]) => h >= start && h < start + length).map(([hour, s]) => ({ hour, ...s }));
          const expected = [...people.values()].filter((seq) => seq.some((h) => h >= start && h < start + length)).length;
          expect(peopleInWindow(inWindow, start)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
