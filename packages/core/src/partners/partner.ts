import { z } from 'zod';
import type { DomainEvent } from '../shared/domain-event';
import { InactiveError, type InvalidInputError } from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import { validateInput } from '../shared/validate-input';

/** A tenant: an organisation whose sites and apps send us events. */
export interface Partner {
  id: string;
  name: string;
  email: string;
  contactPerson: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const email = z.string().trim().max(320).pipe(z.email('must be an email address'));
const contactPerson = z.string().trim().max(200, 'must be at most 200 characters').nullable().optional();

/** Input of {@link createPartner}. */
export const createPartnerInput = z.object({ name, email, contactPerson }).strict();
export type CreatePartnerInput = z.input<typeof createPartnerInput>;

/** Input of {@link updatePartner}: any subset of the fields. */
export const updatePartnerInput = z
  .object({ name: name.optional(), email: email.optional(), contactPerson })
  .strict();
export type UpdatePartnerInput = z.input<typeof updatePartnerInput>;

/** A changed aggregate and the domain events the change raised. */
export interface Changed<T> {
  value: T;
  events: DomainEvent[];
}

/** Creates a partner from untrusted input. */
export function createPartner(
  input: unknown,
  ids: { id: string; now: Date },
): Result<Changed<Partner>, InvalidInputError> {
  const parsed = validateInput(createPartnerInput, input);
  if (!parsed.ok) return parsed;
  const partner: Partner = {
    id: ids.id,
    name: parsed.value.name,
    email: parsed.value.email,
    contactPerson: parsed.value.contactPerson ?? null,
    active: true,
    createdAt: ids.now,
    updatedAt: ids.now,
  };
  return ok({ value: partner, events: [{ type: 'PartnerCreated', partnerId: partner.id, occurredAt: ids.now }] });
}

/** Applies a partial update; a deactivated partner takes no changes. */
export function updatePartner(
  partner: Partner,
  input: unknown,
  now: Date,
): Result<Changed<Partner>, InvalidInputError | InactiveError> {
  if (!partner.active) return err(new InactiveError('partner', partner.id));
  const parsed = validateInput(updatePartnerInput, input);
  if (!parsed.ok) return parsed;
  const { name: newName, email: newEmail, contactPerson: newContact } = parsed.value;
  const updated: Partner = {
    ...partner,
    name: newName ?? partner.name,
    email: newEmail ?? partner.email,
    contactPerson: newContact === undefined ? partner.contactPerson : newContact,
    updatedAt: now,
  };
  return ok({ value: updated, events: [{ type: 'PartnerUpdated', partnerId: partner.id, occurredAt: now }] });
}

/** Deactivates a partner: its keys stop working, its data stays. Deactivating twice changes nothing. */
export function deactivatePartner(partner: Partner, now: Date): Changed<Partner> {
  if (!partner.active) return { value: partner, events: [] };
  return {
    value: { ...partner, active: false, updatedAt: now },
    events: [{ type: 'PartnerDeactivated', partnerId: partner.id, occurredAt: now }],
  };
}
