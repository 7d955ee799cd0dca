import { describe, expect, it } from 'vitest';
import { ConflictError, InactiveError, InvalidInputError, LimitReachedError } from '../shared/errors';
import { createPartner, type Partner } from './partner';
import {
  addSystem,
  deactivateSystem,
  defaultSystemSettings,
  updateSystemSettings,
  type PartnerSystem,
} from './partner-system';

const t0 = new Date('2024-01-01T00:00:00.000Z');
const t1 = new Date('2024-02-01T00:00:00.000Z');
const policy = { maxSystemsPerPartner: 2 };
const ids = { id: 's-new', now: t1 };

const acme: Partner = {
  id: 'p1',
  name: 'Acme',
  email: 'ops@acme.test',
  contactPerson: null,
  active: true,
  createdAt: t0,
  updatedAt: t0,
};

function system(overrides: Partial<PartnerSystem> = {}): PartnerSystem {
  return {
    id: 's1',
    partnerId: 'p1',
    name: 'Web Shop',
    description: null,
    active: true,
    settings: { ...defaultSystemSettings },
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  };
}

function failure(result: { ok: true } | { ok: false; error: unknown }): unknown {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

function fieldsOf(result: { ok: true } | { ok: false; error: unknown }): string[] {
  const error = failure(result);
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).issues.map((i) => i.field);
}

describe('addSystem', () => {
  it('adds an active system with the default settings and raises SystemAdded', () => {
    const result = addSystem(acme, [], { name: '  Web Shop ', description: ' Storefront ' }, policy, ids);
    expect(result).toEqual({
      ok: true,
      value: {
        value: {
          id: 's-new',
          partnerId: 'p1',
          name: 'Web Shop',
          description: 'Storefront',
          active: true,
          settings: { invalidEvents: 'flag', unplannedEvents: 'allow', allowedOrigins: null, rateLimits: { ingest: null, api: null } },
          createdAt: t1,
          updatedAt: t1,
        },
        events: [{ type: 'SystemAdded', partnerId: 'p1', systemId: 's-new', occurredAt: t1 }],
      },
    });
  });

  it('applies the given settings over the defaults', () => {
    const result = addSystem(
      acme,
      [],
      { name: 'App', settings: { invalidEvents: 'reject', allowedOrigins: ['https://shop.example'] } },
      policy,
      ids,
    );
    expect(result.ok && result.value.value.settings).toEqual({
      invalidEvents: 'reject',
      unplannedEvents: 'allow',
      allowedOrigins: ['https://shop.example'],
      rateLimits: { ingest: null, api: null },
    });
    expect(defaultSystemSettings).toEqual({
      invalidEvents: 'flag',
      unplannedEvents: 'allow',
      allowedOrigins: null,
      rateLimits: { ingest: null, api: null },
    });
  });

  it('refuses a system beyond the limit of active systems', () => {
    const existing = [system({ id: 'a', name: 'A' }), system({ id: 'b', name: 'B' })];
    expect(failure(addSystem(acme, existing, { name: 'C' }, policy, ids))).toBeInstanceOf(LimitReachedError);
  });

  it('does not count deactivated systems against the limit', () => {
    const existing = [system({ id: 'a', name: 'A' }), system({ id: 'b', name: 'B', active: false })];
    expect(addSystem(acme, existing, { name: 'C' }, policy, ids).ok).toBe(true);
  });

  it('refuses a duplicate name regardless of case and surrounding spaces, naming `name`', () => {
    const error = failure(addSystem(acme, [system({ name: 'Web Shop' })], { name: ' WEB shop ' }, policy, ids));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).issues.map((i) => i.field)).toEqual(['name']);
  });

  it('keeps the name of a deactivated system taken, as the storage unique index does', () => {
    const existing = [system({ name: 'Web Shop', active: false })];
    expect(failure(addSystem(acme, existing, { name: 'web shop' }, policy, ids))).toBeInstanceOf(ConflictError);
  });

  it('refuses to add a system to a deactivated partner', () => {
    const error = failure(addSystem({ ...acme, active: false }, [], { name: 'App' }, policy, ids));
    expect(error).toBeInstanceOf(InactiveError);
  });

  it.each([
    ['a missing name', {}, 'name'],
    ['a blank name', { name: '  ' }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a description over 2000 characters', { name: 'App', description: 'x'.repeat(2001) }, 'description'],
    ['an unknown invalidEvents value', { name: 'App', settings: { invalidEvents: 'drop' } }, 'settings.invalidEvents'],
    ['an unknown unplannedEvents value', { name: 'App', settings: { unplannedEvents: 'drop' } }, 'settings.unplannedEvents'],
    ['an allowed origin that is not a URL', { name: 'App', settings: { allowedOrigins: ['shop'] } }, 'settings.allowedOrigins.0'],
    ['allowedOrigins that is not a list', { name: 'App', settings: { allowedOrigins: 'https://shop.example' } }, 'settings.allowedOrigins'],
  ])('rejects %s, naming the field', (_label, input, field) => {
    expect(fieldsOf(addSystem(acme, [], input, policy, ids))).toEqual([field]);
  });

  it('rejects unknown fields at the root and in settings', () => {
    expect(addSystem(acme, [], { name: 'App', owner: 'x' }, policy, ids).ok).toBe(false);
    expect(addSystem(acme, [], { name: 'App', settings: { strict: true } }, policy, ids).ok).toBe(false);
  });
});

describe('updateSystemSettings', () => {
  it('changes only the given settings and raises SystemUpdated', () => {
    const current = system({ settings: { ...defaultSystemSettings, unplannedEvents: 'flag', allowedOrigins: ['https://a.example'] } });
    const result = updateSystemSettings(current, { invalidEvents: 'reject' }, t1);
    expect(result).toEqual({
      ok: true,
      value: {
        value: {
          ...current,
          settings: { ...defaultSystemSettings, invalidEvents: 'reject', unplannedEvents: 'flag', allowedOrigins: ['https://a.example'] },
          updatedAt: t1,
        },
        events: [{ type: 'SystemUpdated', partnerId: 'p1', systemId: 's1', occurredAt: t1 }],
      },
    });
  });

  it('resets allowedOrigins to any origin with null', () => {
    const current = system({ settings: { ...defaultSystemSettings, allowedOrigins: ['https://a.example'] } });
    const result = updateSystemSettings(current, { allowedOrigins: null }, t1);
    expect(result.ok && result.value.value.settings.allowedOrigins).toBeNull();
  });

  it('sets each rate limit on its own, keeps the other, and resets with null', () => {
    const ingest = { perSecond: 50, burst: 500 };
    const api = { perSecond: 2.5, burst: 10 };
    const withIngest = updateSystemSettings(system(), { rateLimits: { ingest } }, t1);
    if (!withIngest.ok) throw withIngest.error;
    expect(withIngest.value.value.settings.rateLimits).toEqual({ ingest, api: null });
    const withBoth = updateSystemSettings(withIngest.value.value, { rateLimits: { api } }, t1);
    if (!withBoth.ok) throw withBoth.error;
    expect(withBoth.value.value.settings.rateLimits).toEqual({ ingest, api });
    const oneReset = updateSystemSettings(withBoth.value.value, { rateLimits: { ingest: null } }, t1);
    expect(oneReset.ok && oneReset.value.value.settings.rateLimits).toEqual({ ingest: null, api });
    const allReset = updateSystemSettings(withBoth.value.value, { rateLimits: null }, t1);
    expect(allReset.ok && allReset.value.value.settings.rateLimits).toEqual({ ingest: null, api: null });
    const untouched = updateSystemSettings(withBoth.value.value, { invalidEvents: 'reject' }, t1);
    expect(untouched.ok && untouched.value.value.settings.rateLimits).toEqual({ ingest, api });
  });

  it.each([
    ['a zero rate', { ingest: { perSecond: 0, burst: 10 } }, 'rateLimits.ingest.perSecond'],
    ['a fractional burst', { api: { perSecond: 1, burst: 1.5 } }, 'rateLimits.api.burst'],
    ['a missing burst', { ingest: { perSecond: 1 } }, 'rateLimits.ingest.burst'],
    ['a rate given as text', { api: { perSecond: '10', burst: 10 } }, 'rateLimits.api.perSecond'],
    ['an unknown limit', { events: { perSecond: 1, burst: 1 } }, 'rateLimits.events'],
    ['an unknown policy field', { ingest: { perSecond: 1, burst: 1, window: 60 } }, 'rateLimits.ingest.window'],
  ])('rejects rate limits with %s, naming the field', (_label, rateLimits, field) => {
    expect(fieldsOf(updateSystemSettings(system(), { rateLimits }, t1))).toEqual([field]);
  });

  it('names the offending setting', () => {
    expect(fieldsOf(updateSystemSettings(system(), { unplannedEvents: 'ignore' }, t1))).toEqual(['unplannedEvents']);
  });

  it('refuses to change a deactivated system', () => {
    expect(failure(updateSystemSettings(system({ active: false }), { invalidEvents: 'reject' }, t1))).toBeInstanceOf(InactiveError);
  });
});

describe('deactivateSystem', () => {
  it('deactivates once, raising SystemDeactivated, and is idempotent after that', () => {
    const first = deactivateSystem(system(), t1);
    expect(first.value).toEqual(system({ active: false, updatedAt: t1 }));
    expect(first.events).toEqual([{ type: 'SystemDeactivated', partnerId: 'p1', systemId: 's1', occurredAt: t1 }]);

    const again = deactivateSystem(first.value, new Date('2024-03-01T00:00:00.000Z'));
    expect(again.value).toBe(first.value);
    expect(again.events).toEqual([]);
  });
});

describe('allowed origins', () => {
  const partner = createPartner({ name: 'Acme', email: 'ops@acme.test' }, { id: 'p1', now: new Date() });
  if (!partner.ok) throw partner.error;
  const attempt = (allowedOrigins: string[]) =>
    addSystem(partner.value.value, [], { name: 'web', settings: { allowedOrigins } }, { maxSystemsPerPartner: 5 }, { id: 's1', now: new Date() });

  it('accepts scheme, host and port', () => {
    const result = attempt(['https://shop.example.com', 'http://localhost:5173']);
    expect(result.ok && result.value.value.settings.allowedOrigins).toEqual(['https://shop.example.com', 'http://localhost:5173']);
  });

  it.each(['javascript:alert(1)', 'mailto:x@y.z', 'ftp://a.com', 'https://a.com/path', 'https://a.com/'])(
    'refuses %s, which no browser Origin header can equal',
    (value) => {
      const result = attempt([value]);
      expect(!result.ok && result.error.issues.map((i) => i.field)).toEqual(['settings.allowedOrigins.0']);
    },
  );
});
