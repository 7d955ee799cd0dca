import { z } from 'zod';
import type { Changed, Partner } from './partner';
import {
  ConflictError,
  InactiveError,
  type InvalidInputError,
  LimitReachedError,
} from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import { validateInput } from '../shared/validate-input';
import { changeRateLimits, defaultSystemRateLimits, systemRateLimitsInput, type SystemRateLimits } from '../rate-limits/system-rate-limits';

/** How a system treats events that break, or are missing from, its event structures. */
export interface SystemSettings {
  /** `flag`: store with `valid: false` and the errors; `reject`: refuse the event by name. */
  invalidEvents: 'flag' | 'reject';
  /** Events with no structure defined: `allow` as valid, `flag` as invalid, or `reject`. */
  unplannedEvents: 'allow' | 'flag' | 'reject';
  /** Origins browsers may send from; `null` allows any origin (without credentials). */
  allowedOrigins: string[] | null;
  /** The system's own rate limits; each `null` one is the server's default. */
  rateLimits: SystemRateLimits;
}

/** The settings a new system starts with. */
export const defaultSystemSettings: SystemSettings = {
  invalidEvents: 'flag',
  unplannedEvents: 'allow',
  allowedOrigins: null,
  rateLimits: defaultSystemRateLimits,
};

/** A site, app or backend of a partner; owns API keys, event structures and events. */
export interface PartnerSystem {
  id: string;
  partnerId: string;
  name: string;
  description: string | null;
  active: boolean;
  settings: SystemSettings;
  createdAt: Date;
  updatedAt: Date;
}

// A browser's Origin header is scheme://host[:port] exactly; anything else could never match it.
const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'must be an origin such as https://example.com (scheme, host and port only)');

const settingsInput = z
  .object({
    invalidEvents: z.enum(['flag', 'reject']).optional(),
    unplannedEvents: z.enum(['allow', 'flag', 'reject']).optional(),
    allowedOrigins: z.array(origin).max(100, 'must list at most 100 origins').nullable().optional(),
    rateLimits: systemRateLimitsInput.optional(),
  })
  .strict();

/** Input of {@link addSystem}. */
export const addSystemInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    description: z.string().trim().max(2000, 'must be at most 2000 characters').nullable().optional(),
    settings: settingsInput.optional(),
  })
  .strict();
export type AddSystemInput = z.input<typeof addSystemInput>;

/** Rules that bound a partner's aggregate. */
export interface PartnerPolicy {
  /** How many active systems one partner may have. */
  maxSystemsPerPartner: number;
}

/**
 * Adds a system to a partner, enforcing the aggregate's invariants: the partner is active, it has
 * fewer than the allowed number of active systems, and no other system of it has the same name.
 */
export function addSystem(
  partner: Partner,
  existing: readonly PartnerSystem[],
  input: unknown,
  policy: PartnerPolicy,
  ids: { id: string; now: Date },
): Result<Changed<PartnerSystem>, InvalidInputError | InactiveError | LimitReachedError | ConflictError> {
  const parsed = validateInput(addSystemInput, input);
  if (!parsed.ok) return parsed;
  if (!partner.active) return err(new InactiveError('partner', partner.id));
  const active = existing.filter((s) => s.active);
  if (active.length >= policy.maxSystemsPerPartner) {
    return err(new LimitReachedError(`partner already has ${active.length} of at most ${policy.maxSystemsPerPartner} systems`));
  }
  const wanted = parsed.value.name.toLowerCase();
  if (existing.some((s) => s.name.toLowerCase() === wanted)) {
    return err(new ConflictError(`partner already has a system named ${JSON.stringify(parsed.value.name)}`, 'name'));
  }
  const system: PartnerSystem = {
    id: ids.id,
    partnerId: partner.id,
    name: parsed.value.name,
    description: parsed.value.description ?? null,
    active: true,
    settings: changeSettings(defaultSystemSettings, parsed.value.settings ?? {}),
    createdAt: ids.now,
    updatedAt: ids.now,
  };
  return ok({
    value: system,
    events: [{ type: 'SystemAdded', partnerId: partner.id, systemId: system.id, occurredAt: ids.now }],
  });
}

/** Input of {@link updateSystemSettings}. */
export const updateSystemSettingsInput = settingsInput;

/** Changes how a system validates events, which origins it accepts and its rate limits. */
export function updateSystemSettings(
  system: PartnerSystem,
  input: unknown,
  now: Date,
): Result<Changed<PartnerSystem>, InvalidInputError | InactiveError> {
  if (!system.active) return err(new InactiveError('system', system.id));
  const parsed = validateInput(settingsInput, input);
  if (!parsed.ok) return parsed;
  const updated = { ...system, settings: changeSettings(system.settings, parsed.value), updatedAt: now };
  return ok({
    value: updated,
    events: [{ type: 'SystemUpdated', partnerId: system.partnerId, systemId: system.id, occurredAt: now }],
  });
}

/** Deactivates a system: its keys stop working at once. Deactivating twice changes nothing. */
export function deactivateSystem(system: PartnerSystem, now: Date): Changed<PartnerSystem> {
  if (!system.active) return { value: system, events: [] };
  return {
    value: { ...system, active: false, updatedAt: now },
    events: [{ type: 'SystemDeactivated', partnerId: system.partnerId, systemId: system.id, occurredAt: now }],
  };
}

// Settings left out keep their value; `rateLimits` is merged one level deeper (see changeRateLimits).
function changeSettings(current: SystemSettings, input: z.output<typeof settingsInput>): SystemSettings {
  const { rateLimits, ...flat } = input;
  return {
    ...current,
    ...stripUndefined(flat),
    rateLimits: rateLimits === undefined ? current.rateLimits : changeRateLimits(current.rateLimits, rateLimits),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
