import type { Core } from '../core.ts';
import { RaceDeskError } from '../errors.ts';
import { updateSettings } from '../settings/settings.ts';
import { clientConfig, hubError, redactUrl, refuseInsecureRemote, tlsState, withHub, type HubConnection } from './client.ts';
import { appliedVersion, newestHubVersion } from './migrate.ts';
import { connectedPartner } from './partners.ts';

/*
 * Where this laptop's hub is: the URL without password in settings.hub (with the CA file for
 * verify-full), the password in the OS keychain under the account key 'hub' (of this data folder: credentials/data-folder.ts).
 */
export const hubKeychainAccount = 'hub';

export interface HubSetup {
  url: string;
  password?: string;
  caFile?: string;
  /** Allows sslmode=disable to a hub that is not on this computer. */
  insecure?: boolean;
}

/** Saves the hub for this laptop. A password inside the URL is moved to the keychain. */
export async function setHub(core: Core, setup: HubSetup): Promise<{ url: string; caFile: string | null }> {
  clientConfig({ url: setup.url, caFile: setup.caFile }); // Refuses a malformed URL or sslmode before anything is stored.
  refuseInsecureRemote({ url: setup.url }, setup.insecure);
  const url = new URL(setup.url);
  const password = setup.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
  url.password = '';
  if (!url.username) {
    throw new RaceDeskError('invalid_input', 'The hub URL needs the partner login as its user, e.g. postgres://racedesk_p1_ab12cd@hub.example.com:5432/hub.');
  }
  if (!password) {
    throw new RaceDeskError('invalid_input', "Give the hub password (the one racedesk hub add-partner printed) on standard input.");
  }
  await core.credentials.set(hubKeychainAccount, { password });
  const saved = url.toString();
  updateSettings(core.settings, (current) => ({ ...current, hub: { url: saved, ...(setup.caFile ? { caFile: setup.caFile } : {}) } }));
  return { url: saved, caFile: setup.caFile ?? null };
}

export interface ConfiguredHub {
  connection: HubConnection;
  partnerId: number;
}

/** The hub connection this laptop pushes through, or a clear error saying what to set up. */
export async function hubConnection(core: Core): Promise<HubConnection> {
  const settings = core.settings.read();
  if (!settings.hub) throw new RaceDeskError('not_found', 'No hub is set up on this laptop: run racedesk hub set --url URL (password on standard input).');
  const secret = await core.credentials.get(hubKeychainAccount);
  if (!secret?.password) {
    throw new RaceDeskError('not_found', 'The hub password is not in the OS keychain: run racedesk hub set --url URL again (password on standard input).');
  }
  return { url: settings.hub.url, password: secret.password, caFile: settings.hub.caFile };
}

/** The hub connection and the partner this laptop pushes as. */
export async function configuredHub(core: Core): Promise<ConfiguredHub> {
  const connection = await hubConnection(core);
  const partner = core.settings.read().partner;
  if (!partner) throw new RaceDeskError('not_found', 'No timing partner is set on this laptop: set it (racedesk partner set --id N --name NAME) before pushing to or pulling from the hub.');
  return { connection, partnerId: partner.id };
}

export interface HubCheck {
  url: string;
  role: string;
  timingPartnerId: number | null;
  schemaVersion: number;
  /** What protects the connection (tlsState). */
  tls: string;
  ready: boolean;
  problem: string | null;
}

/** Connects as this laptop would push and reports what the hub says (Settings' "Test" button). */
export async function testHub(core: Core): Promise<HubCheck> {
  const connection = await hubConnection(core);
  const partnerId = core.settings.read().partner?.id ?? null;
  return withHub(connection, async (client) => {
    try {
      const schemaVersion = await appliedVersion(client);
      const connected = await connectedPartner(client).catch(() => ({ role: connection.url, partnerId: null }));
      const problem =
        schemaVersion < newestHubVersion
          ? `The hub is at schema version ${schemaVersion}; it needs racedesk hub migrate (version ${newestHubVersion}).`
          : connected.partnerId === null
            ? `The login "${connected.role}" is not a timing partner's login.`
            : partnerId === null
              ? `No timing partner is set on this laptop (racedesk partner set --id ${connected.partnerId} --name NAME).`
              : connected.partnerId !== partnerId
                ? `The login "${connected.role}" belongs to timing partner ${connected.partnerId}, but this laptop is set up for ${partnerId}.`
                : null;
      return {
        url: redactUrl(connection.url),
        role: connected.role,
        timingPartnerId: connected.partnerId,
        schemaVersion,
        tls: tlsState(connection),
        ready: problem === null,
        problem,
      };
    } catch (error) {
      throw hubError(error, connection.url);
    }
  });
}
