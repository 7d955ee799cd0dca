import type { MessageType } from '../ingestion/tracking-event';

/** The fields of an event the read models are built from. */
export interface ProjectedEvent {
  systemId: string;
  type: MessageType;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  timestamp: Date;
}

/** The hour an event falls in, as the read models bucket it (UTC hour start). */
export function hourOf(timestamp: Date): string {
  const hour = new Date(timestamp);
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
}

/** Who did something, as known at the time: the userId when there is one, else the anonymousId. */
export function actorOf(e: Pick<ProjectedEvent, 'userId' | 'anonymousId'>): string | null {
  if (e.userId) return `u:${e.userId}`;
  return e.anonymousId ? `a:${e.anonymousId}` : null;
}

/**
 * What a batch of events changes in the read models: hourly counts, and identity links in the order
 * the events came (identify links an anonymousId to a userId; alias links a previous id, anonymous
 * or not, to a userId).
 */
export function readModelDelta(events: readonly ProjectedEvent[]) {
  const counts = new Map<string, { systemId: string; hour: string; type: string; event: string; count: number }>();
  const links: { systemId: string; actor: string; target: string }[] = [];
  for (const e of events) {
    const hour = hourOf(e.timestamp);
    const name = e.event ?? '';
    const key = `${e.systemId}|${hour}|${e.type}|${name}`;
    const counted = counts.get(key);
    if (counted) counted.count++;
    else counts.set(key, { systemId: e.systemId, hour, type: e.type, event: name, count: 1 });
    if (e.type === 'identify' && e.userId && e.anonymousId) {
      links.push({ systemId: e.systemId, actor: `a:${e.anonymousId}`, target: `u:${e.userId}` });
    }
    if (e.type === 'alias' && e.userId && e.previousId) {
      links.push({ systemId: e.systemId, actor: `a:${e.previousId}`, target: `u:${e.userId}` });
      links.push({ systemId: e.systemId, actor: `u:${e.previousId}`, target: `u:${e.userId}` });
    }
  }
  return { counts: [...counts.values()], links };
}
