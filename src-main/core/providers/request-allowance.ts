import { RaceDeskError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { preparedPerDb } from '../store/statements.ts';
import { providerNames, type ProviderName } from './types.ts';

/*
 * How many requests an hour this computer may send a provider (providers.rate_limit_per_hour),
 * shared by every sync of that provider through its token bucket (rate-budget.ts). connect.ts
 * reads it for every new session, so a changed allowance holds from the next sync on, in this
 * process and in any other process over the same database.
 */

/** The seed's conservative budget (migration 0001), used if a provider's row holds no number. */
export const defaultRequestsPerHour = 3600;
/**
 * Far beyond any provider's published allowance (the demo's local simulators use 3,600,000);
 * a larger number would more likely be a typo than a negotiated limit.
 */
export const maxRequestsPerHour = 100_000_000;
export const allowanceRange = `a whole number from 1 to ${maxRequestsPerHour.toLocaleString('en-US')}`;

export interface RequestAllowance {
  provider: ProviderName;
  requestsPerHour: number;
}

const statements = preparedPerDb((db) => ({
  read: db.prepare<[string], { rate_limit_per_hour: number | null }>('SELECT rate_limit_per_hour FROM providers WHERE provider_name = ?'),
  list: db.prepare<[], { provider_name: string; rate_limit_per_hour: number | null }>('SELECT provider_name, rate_limit_per_hour FROM providers'),
  // Upsert rather than update: setting a known provider's allowance never silently does nothing.
  write: db.prepare<{ provider: string; perHour: number }>(
    `INSERT INTO providers (provider_name, rate_limit_per_hour) VALUES (@provider, @perHour)
     ON CONFLICT (provider_name) DO UPDATE SET rate_limit_per_hour = excluded.rate_limit_per_hour`,
  ),
}));

export function requestsPerHour(db: Db, provider: string): number {
  return statements(db).read.get(knownProvider(provider))?.rate_limit_per_hour ?? defaultRequestsPerHour;
}

/** Every provider RaceDesk knows, with its allowance. */
export function requestAllowances(db: Db): Record<ProviderName, number> {
  const stored = new Map(statements(db).list.all().map((row) => [row.provider_name, row.rate_limit_per_hour]));
  return Object.fromEntries(providerNames.map((provider) => [provider, stored.get(provider) ?? defaultRequestsPerHour])) as Record<ProviderName, number>;
}

export function setRequestsPerHour(db: Db, provider: string, perHour: number): RequestAllowance {
  const name = knownProvider(provider);
  if (!Number.isInteger(perHour) || perHour < 1 || perHour > maxRequestsPerHour) {
    throw new RaceDeskError('invalid_input', `Requests per hour must be ${allowanceRange}, got ${perHour}.`);
  }
  statements(db).write.run({ provider: name, perHour });
  return { provider: name, requestsPerHour: perHour };
}

function knownProvider(provider: string): ProviderName {
  if (!(providerNames as readonly string[]).includes(provider)) {
    throw new RaceDeskError('invalid_input', `Unknown provider "${provider}". Known providers: ${providerNames.join(', ')}.`);
  }
  return provider as ProviderName;
}
