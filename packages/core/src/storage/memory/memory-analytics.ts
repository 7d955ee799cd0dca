import type { AnalyticsStore, ProjectionStore } from '../../analytics/analytics-store';
import { computeTimeseries, computeTopEvents } from '../../analytics/compute-analytics';
import { computeBreakdown, computeFunnel, computeUserProfile } from '../../analytics/compute-person-analytics';
import type { MemoryState } from './memory-state';

/** Analytics over the memory backend's events, computed on each query: always up to date. */
export function memoryAnalytics(state: MemoryState): { analytics: AnalyticsStore; projection: ProjectionStore } {
  const all = () => [...state.events.values()].flat();
  return {
    analytics: {
      timeseries: async (q) => computeTimeseries(state.events.get(q.systemId) ?? [], q),
      topEvents: async (q) => computeTopEvents(state.events.get(q.systemId) ?? [], q),
      breakdown: async (q) => computeBreakdown(state.events.get(q.systemId) ?? [], q),
      funnel: async (q) => computeFunnel(state.events.get(q.systemId) ?? [], q),
      userProfile: async (systemId, userId, limit) => computeUserProfile(state.events.get(systemId) ?? [], systemId, userId, limit),
      async status() {
        const events = all();
        const newest = events.reduce<Date | null>((max, e) => (!max || e.receivedAt > max ? e.receivedAt : max), null);
        return { projectedEvents: events.length, behindEvents: 0, projectedThrough: newest, waitingSince: null, rebuilds: 0 };
      },
    },
    projection: {
      projectBatch: async () => 0,
      reset: async () => {},
      exclusively: (fn) => fn(),
    },
  };
}
