import { describe, expect, it } from 'vitest';
import { InactiveError, InvalidInputError } from '../shared/errors';
import { createPartner, deactivatePartner, updatePartner, type Partner } from './partner';

const created = new Date('2024-01-01T00:00:00.000Z');
const later = new Date('2024-02-01T00:00:00.000Z');

function partner(overrides: Partial<Partner> = {}): Partner {
  return {
    id: 'p1',
    name: 'Acme',
    email: 'ops@acme.test',
    contactPerson: 'Ada',
    active: true,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

/** The fields named by a failed result, which must be an InvalidInputError. */
function failedFields(result: { ok: true } | { ok: false; error: unknown }): string[] {
  if (result.ok) throw new Error('expected the input to be rejected');
  expect(result.error).toBeInstanceOf(InvalidInputError);
  return (result.error as InvalidInputError).issues.map((i) => i.field);
}

describe('createPartner', () => {
  it('creates an active partner and raises PartnerCreated', () => {
    const result = createPartner({ name: 'Acme', email: 'ops@acme.test', contactPerson: 'Ada' }, { id: 'p1', now: created });
    expect(result).toEqual({
      ok: true,
      value: {
        value: {
          id: 'p1',
          name: 'Acme',
          email: 'ops@acme.test',
          contactPerson: 'Ada',
          active: true,
          createdAt: created,
          updatedAt: created,
        },
        events: [{ type: 'PartnerCreated', partnerId: 'p1', occurredAt: created }],
      },
    });
  });

  it('trims name, email and contact person, and defaults the contact person to null', () => {
    const trimmed = createPartner({ name: '  Acme  ', email: ' ops@acme.test ', contactPerson: ' Ada ' }, { id: 'p1', now: created });
    expect(trimmed.ok && trimmed.value.value).toMatchObject({ name: 'Acme', email: 'ops@acme.test', contactPerson: 'Ada' });

    const noContact = createPartner({ name: 'Acme', email: 'ops@acme.test' }, { id: 'p1', now: created });
    expect(noContact.ok && noContact.value.value.contactPerson).toBeNull();
  });

  it.each([
    ['a missing name', { email: 'ops@acme.test' }, 'name'],
    ['an empty name', { name: '', email: 'ops@acme.test' }, 'name'],
    ['a blank name', { name: '   ', email: 'ops@acme.test' }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201), email: 'ops@acme.test' }, 'name'],
    ['a malformed email', { name: 'Acme', email: 'not-an-email' }, 'email'],
    ['a missing email', { name: 'Acme' }, 'email'],
    ['a contact person over 200 characters', { name: 'Acme', email: 'ops@acme.test', contactPerson: 'x'.repeat(201) }, 'contactPerson'],
  ])('rejects %s, naming the field', (_label, input, field) => {
    expect(failedFields(createPartner(input, { id: 'p1', now: created }))).toEqual([field]);
  });

  it('accepts a name of exactly 200 characters', () => {
    expect(createPartner({ name: 'x'.repeat(200), email: 'ops@acme.test' }, { id: 'p1', now: created }).ok).toBe(true);
  });

  it('rejects an unknown extra field, mentioning it', () => {
    const result = createPartner({ name: 'Acme', email: 'ops@acme.test', plan: 'gold' }, { id: 'p1', now: created });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toContain('plan');
  });

  it('names an unknown extra field in issues[].field', () => {
    const result = createPartner({ name: 'Acme', email: 'ops@acme.test', plan: 'gold' }, { id: 'p1', now: created });
    expect(failedFields(result)).toEqual(['plan']);
  });

  it('names every offending field at once', () => {
    expect(failedFields(createPartner({ name: '', email: 'nope' }, { id: 'p1', now: created })).sort()).toEqual(['email', 'name']);
  });

  it('rejects input that is not an object', () => {
    expect(createPartner('Acme', { id: 'p1', now: created }).ok).toBe(false);
    expect(createPartner(null, { id: 'p1', now: created }).ok).toBe(false);
  });
});

describe('updatePartner', () => {
  it('changes only the given fields and raises PartnerUpdated', () => {
    const result = updatePartner(partner(), { email: 'billing@acme.test' }, later);
    expect(result).toEqual({
      ok: true,
      value: {
        value: partner({ email: 'billing@acme.test', updatedAt: later }),
        events: [{ type: 'PartnerUpdated', partnerId: 'p1', occurredAt: later }],
      },
    });
  });

  it('keeps the contact person when omitted and clears it with null', () => {
    const kept = updatePartner(partner(), { name: 'Acme Ltd' }, later);
    expect(kept.ok && kept.value.value).toMatchObject({ name: 'Acme Ltd', contactPerson: 'Ada', createdAt: created });

    const cleared = updatePartner(partner(), { contactPerson: null }, later);
    expect(cleared.ok && cleared.value.value.contactPerson).toBeNull();
  });

  it('validates the fields it is given, naming them', () => {
    expect(failedFields(updatePartner(partner(), { name: '  ' }, later))).toEqual(['name']);
    expect(failedFields(updatePartner(partner(), { email: 'nope' }, later))).toEqual(['email']);
    expect(updatePartner(partner(), { active: false }, later).ok).toBe(false);
  });

  it('refuses any change to a deactivated partner with InactiveError', () => {
    const result = updatePartner(partner({ active: false }), { name: 'Acme Ltd' }, later);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InactiveError);
    expect(result.error.code).toBe('inactive');
  });
});

describe('deactivatePartner', () => {
  it('deactivates once and raises PartnerDeactivated', () => {
    const first = deactivatePartner(partner(), later);
    expect(first.value).toEqual(partner({ active: false, updatedAt: later }));
    expect(first.events).toEqual([{ type: 'PartnerDeactivated', partnerId: 'p1', occurredAt: later }]);
  });

  it('is idempotent: deactivating again changes nothing and raises nothing', () => {
    const once = deactivatePartner(partner(), later).value;
    const twice = deactivatePartner(once, new Date('2024-03-01T00:00:00.000Z'));
    expect(twice.value).toBe(once);
    expect(twice.events).toEqual([]);
  });
});
