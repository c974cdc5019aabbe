import { z } from 'zod';
import type { Core } from '../core.ts';
import { RaceDeskError } from '../errors.ts';
import { accountKey } from '../credentials/keychain.ts';
import { getProvider } from '../providers/registry.ts';
import { type ProviderAccount, updateSettings } from '../settings/settings.ts';
import { connect } from '../providers/connect.ts';

export function findAccount(core: Core, provider: string, label: string): ProviderAccount {
  const account = core.settings.read().accounts.find((a) => a.provider === provider && a.label === label);
  if (!account) {
    throw new RaceDeskError(
      'not_found',
      `No ${provider} account labelled "${label}". Add it with: racedesk account add ${provider} --label ${JSON.stringify(label)}`,
    );
  }
  return account;
}

/** Checks a secret against the provider, then stores it in the keychain and the account in settings. */
export async function addAccount(
  core: Core,
  input: { provider: string; label: string; baseUrl?: string; secret: Record<string, unknown> },
): Promise<ProviderAccount> {
  const definition = getProvider(input.provider);
  const parsed = definition.secretSchema.safeParse(input.secret);
  if (!parsed.success) {
    throw new RaceDeskError('invalid_input', `The ${definition.displayName} secret ${describeSecretProblem(definition.secretSchema, definition.secretFields, parsed.error.issues)}.`);
  }
  const baseUrl = input.baseUrl ?? definition.defaultBaseUrl;
  // A provider may replace the secret while checking it (a rotated refresh token): keep the newest.
  let latest = parsed.data as Record<string, string>;
  await connect(core, definition, input.label, baseUrl, parsed.data, async (next) => void (latest = next)).verifyCredentials();
  await core.credentials.set(accountKey(definition.name, input.label), latest);
  const account: ProviderAccount = { provider: definition.name, label: input.label, ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}) };
  updateSettings(core.settings, (settings) => ({
    ...settings,
    accounts: [...settings.accounts.filter((a) => !(a.provider === account.provider && a.label === account.label)), account],
  }));
  return account;
}

export async function removeAccount(core: Core, provider: string, label: string): Promise<void> {
  const account = findAccount(core, provider, label);
  await core.credentials.delete(accountKey(account.provider, account.label));
  updateSettings(core.settings, (settings) => ({
    ...settings,
    accounts: settings.accounts.filter((a) => !(a.provider === provider && a.label === label)),
  }));
}

/** Re-checks stored credentials against the provider (Settings' "Check" button). */
export async function checkAccount(core: Core, provider: string, label: string): Promise<void> {
  const definition = getProvider(provider);
  const account = findAccount(core, definition.name, label);
  const secret = await core.credentials.get(accountKey(definition.name, label));
  if (!secret) throw new RaceDeskError('not_found', `The keychain has no secret for ${definition.displayName} account "${label}".`);
  await connect(core, definition, label, account.baseUrl ?? definition.defaultBaseUrl, definition.secretSchema.parse(secret)).verifyCredentials();
}

/** Which timing partner this laptop works for; the id goes on every row it stores. */
export function setPartner(core: Core, partner: { id: number; name: string }): void {
  core.db
    .prepare(
      `INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (?, ?)
       ON CONFLICT (timing_partner_id) DO UPDATE SET company_name = excluded.company_name`,
    )
    .run(partner.id, partner.name);
  updateSettings(core.settings, (settings) => ({ ...settings, partner }));
}

/**
 * Names what a secret lacks. A provider with several sign-in forms (RunSignUp: partner key, v2 key,
 * OAuth) lists the forms and the fields missing from the one the secret came closest to.
 */
function describeSecretProblem(schema: z.ZodType, fields: readonly { key: string; optional?: boolean }[], issues: readonly z.core.$ZodIssue[]): string {
  const union = issues.find((i): i is z.core.$ZodIssueInvalidUnion => i.code === 'invalid_union' && Array.isArray((i as z.core.$ZodIssueInvalidUnion).errors));
  const fieldsOf = (list: readonly z.core.$ZodIssue[]) => list.map((i) => i.path.join('.') || 'secret').join(', ');
  if (union && union.errors.length > 0 && schema instanceof z.ZodUnion) {
    const closest = [...union.errors].sort((a, b) => a.length - b.length)[0];
    const forms = schema.options.map((option) => (option instanceof z.ZodObject ? Object.keys(option.shape).join(' + ') : 'another form'));
    return `needs one of: ${forms.join('; ')} (problem with: ${fieldsOf(closest)})`;
  }
  // A rule across fields (refine) carries its own sentence saying what to give.
  const rules = issues.filter((i) => i.code === 'custom').map((i) => i.message);
  if (rules.length > 0) return `is not complete: ${rules.join(' ')}`;
  return `needs the fields ${fields.filter((f) => !f.optional).map((f) => f.key).join(', ')} (problem with: ${fieldsOf(issues)})`;
}

