import type { KeyKind } from '../keys/api-key';

/** What aggregates raise when they change; stored in the write model's log in the same transaction. */
export type DomainEvent =
  | { type: 'PartnerCreated'; partnerId: string; occurredAt: Date }
  | { type: 'PartnerUpdated'; partnerId: string; occurredAt: Date }
  | { type: 'PartnerDeactivated'; partnerId: string; occurredAt: Date }
  | { type: 'SystemAdded'; partnerId: string; systemId: string; occurredAt: Date }
  | { type: 'SystemUpdated'; partnerId: string; systemId: string; occurredAt: Date }
  | { type: 'SystemDeactivated'; partnerId: string; systemId: string; occurredAt: Date }
  | { type: 'KeyIssued'; systemId: string; keyId: string; kind: KeyKind; replacesKeyId: string | null; occurredAt: Date }
  | { type: 'KeyRevoked'; systemId: string; keyId: string; occurredAt: Date }
  | { type: 'EventStructureDefined'; systemId: string; eventName: string; version: number; occurredAt: Date };

/** The id of the aggregate an event belongs to, for the log's index. */
export function aggregateIdOf(event: DomainEvent): string {
  if ('keyId' in event) return event.keyId;
  if ('systemId' in event) return event.systemId;
  return event.partnerId;
}
