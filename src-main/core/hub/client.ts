import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { RaceDeskError } from '../errors.ts';

/*
 * Connections to the hub. The URL carries host, port, database, user and the TLS mode; the
 * password comes separately (from the OS keychain) so it never sits in settings or logs.
 *
 * sslmode is interpreted here with libpq's meaning rather than node-postgres's (which treats
 * require as verify-full): disable = plain; require = encrypted, certificate verified only when a
 * CA file is given; verify-ca = encrypted, chain checked against the CA; verify-full = chain and
 * host name checked. A URL without sslmode gets verify-full unless the hub is on this computer
 * (loopback): a hub on the internet is never reached in plain text or unverified by default.
 * Against a hub on the internet, use settings.hub.caFile (or a publicly trusted certificate).
 */
export interface HubConnection {
  url: string;
  password?: string;
  caFile?: string;
  /** Connect timeout; a hub that cannot be reached is "offline", not a hang. */
  connectTimeoutMs?: number;
}

export function clientConfig(connection: HubConnection): pg.ClientConfig {
  let url: URL;
  try {
    url = new URL(connection.url);
  } catch {
    throw new RaceDeskError('invalid_input', `The hub URL "${redactUrl(connection.url)}" is not a URL; write it as postgres://user@host:5432/database.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new RaceDeskError('invalid_input', `The hub URL must start with postgres:// (got ${url.protocol}//).`);
  }
  const { sslmode, caFile } = tlsSettings(connection, url);
  // Explicit fields, not connectionString: node-postgres lets a connection string's (empty)
  // password override the one passed beside it.
  return {
    host: decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '') || 'localhost',
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.slice(1)) || undefined,
    user: decodeURIComponent(url.username) || undefined,
    password: connection.password ?? (url.password ? decodeURIComponent(url.password) : undefined),
    ssl: tlsOptions(sslmode, caFile),
    connectionTimeoutMillis: connection.connectTimeoutMs ?? 10_000,
    application_name: 'racedesk',
  };
}

function tlsSettings(connection: HubConnection, url: URL): { sslmode: string; caFile: string | undefined } {
  return {
    sslmode: url.searchParams.get('sslmode') ?? (isLoopback(url) ? 'disable' : 'verify-full'),
    caFile: connection.caFile ?? url.searchParams.get('sslrootcert') ?? undefined,
  };
}

/** Whether the URL's host is this computer (loopback addresses, localhost, or none). */
export function isLoopback(url: URL): boolean {
  const host = decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '').toLowerCase();
  return host === '' || host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What protects the connection to the hub, in words (racedesk hub test, Settings). */
export function tlsState(connection: HubConnection): string {
  const url = new URL(connection.url);
  const { sslmode, caFile } = tlsSettings(connection, url);
  const defaulted = url.searchParams.has('sslmode') ? '' : ' (the default for this host)';
  const ca = caFile ? ` against the CA in ${caFile}` : '';
  switch (sslmode) {
    case 'disable':
      return `not encrypted: sslmode=disable${defaulted}`;
    case 'require':
      return caFile ? `encrypted, certificate checked${ca}, host name not checked: sslmode=require` : 'encrypted, certificate NOT checked: sslmode=require';
    case 'verify-ca':
      return `encrypted, certificate checked${ca}, host name not checked: sslmode=verify-ca`;
    default:
      return `encrypted, certificate and host name checked${ca}: sslmode=${sslmode}${defaulted}`;
  }
}

/** Plain text to a hub that is not on this computer: allowed only when asked for in so many words. */
export function refuseInsecureRemote(connection: HubConnection, insecure: boolean | undefined): void {
  const url = new URL(connection.url);
  if (insecure || isLoopback(url) || tlsSettings(connection, url).sslmode !== 'disable') return;
  throw new RaceDeskError(
    'invalid_input',
    `The hub URL ${redactUrl(connection.url)} says sslmode=disable for ${url.hostname}, which is not this computer: the password and every row would cross the network in plain text. ` +
      'Use sslmode=verify-full (with --ca-file for a private CA), or pass --insecure if this network is trusted.',
  );
}

function tlsOptions(sslmode: string, caFile: string | undefined): false | ConnectionOptions {
  const ca = caFile ? readCa(caFile) : undefined;
  switch (sslmode) {
    case 'disable':
      return false;
    case 'require':
      return ca ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca, rejectUnauthorized: true };
    default:
      throw new RaceDeskError('invalid_input', `sslmode=${sslmode} is not supported for the hub; use disable, require, verify-ca or verify-full.`);
  }
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new RaceDeskError('invalid_input', `Cannot read the hub's CA certificate file ${path}; check the CA file (set it with racedesk hub set --ca-file).`);
  }
}

export async function connectHub(connection: HubConnection): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(connection));
  // An idle client whose socket dies emits 'error'; without a listener Node would crash the app.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw tlsError(error, connection) ?? hubError(error, connection.url);
  }
  try {
    /*
     * Names resolve in pg_catalog first (implicitly, before the path), then the hub's schema; no
     * "$user" schema a partner might own. Set after connecting rather than as a startup option,
     * which connection poolers such as PgBouncer refuse.
     */
    await client.query(`SELECT pg_catalog.set_config('search_path', 'public', false)`);
  } catch (error) {
    await client.end().catch(() => {});
    throw hubError(error, connection.url);
  }
  return client;
}

const untrustedCertificateCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * A TLS failure while connecting, in terms of the settings that fix it (the URL's sslmode and
 * host, settings.hub.caFile): Node's own words ("unable to verify the first certificate") name
 * neither the hub nor the file. Null when the failure is not about TLS.
 */
function tlsError(error: unknown, connection: HubConnection): RaceDeskError | null {
  const { code, reason, host, cert } = (error ?? {}) as { code?: string; reason?: string; host?: string; cert?: { subjectaltname?: string } };
  const message = error instanceof Error ? error.message : String(error);
  const where = redactUrl(connection.url);
  const url = new URL(connection.url);
  const { sslmode, caFile } = tlsSettings(connection, url);
  if (code !== undefined && untrustedCertificateCodes.has(code)) {
    const trusted = caFile
      ? `the CA certificate in ${caFile}`
      : "a CA this computer trusts (no CA file is set: give the hub's CA certificate with racedesk hub set --ca-file)";
    return new RaceDeskError('hub_error', `The hub at ${where} presented a certificate that is not signed by ${trusted} (${message}).`);
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new RaceDeskError('hub_error', `The hub at ${where} presented a certificate that is not valid today (${message}); its administrator must renew it.`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = cert?.subjectaltname ? `; it names ${cert.subjectaltname}` : '';
    return new RaceDeskError(
      'hub_error',
      `The hub's certificate is not for the host ${host ?? url.hostname} in ${where} (${reason ?? message})${names}. Put a host name the certificate names in the hub URL.`,
    );
  }
  if (/does not support SSL/i.test(message)) {
    return new RaceDeskError('hub_error', `The hub at ${where} does not offer TLS, but the URL asks for sslmode=${sslmode}. Its administrator must turn TLS on.`);
  }
  // PostgreSQL's pg_hba "hostssl" lines: the server takes TLS logins only.
  if (code === '28000' && /no encryption/.test(message)) {
    const asked = url.searchParams.has('sslmode') ? `the URL says sslmode=${sslmode}` : 'the URL sets no sslmode';
    return new RaceDeskError(
      'hub_error',
      `The hub at ${where} accepts only TLS connections, and ${asked}. Put sslmode=verify-full in the hub URL, with the hub's CA certificate as the CA file (set it with racedesk hub set --ca-file).`,
    );
  }
  return null;
}

export async function withHub<T>(connection: HubConnection, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectHub(connection);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `work` in one transaction: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * The URL without its password, for messages. The user part runs to the last '@' (a password may
 * hold '@'); a user may be empty (postgres://:pw@host). Hiding too much beats showing a password.
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return url;
  const at = url.lastIndexOf('@');
  if (at < scheme[0].length) return url;
  const userInfo = url.slice(scheme[0].length, at);
  const colon = userInfo.indexOf(':');
  if (colon === -1) return url;
  return `${scheme[0]}${userInfo.slice(0, colon)}:***${url.slice(at)}`;
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Whether an error means "the hub is not reachable right now" (worth retrying later). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof RaceDeskError) return error.code === 'network_error';
  const code = (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (
    (code !== undefined && networkCodes.has(code)) ||
    /Connection terminated|timeout expired|connection timeout|Client has encountered a connection error|socket hang up/i.test(message)
  );
}

/** A pg or network failure as a RaceDeskError a person can act on. */
export function hubError(error: unknown, url: string): RaceDeskError {
  if (error instanceof RaceDeskError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string })?.code;
  const where = redactUrl(url);
  if (isUnreachable(error)) {
    return new RaceDeskError('network_error', `Cannot reach the hub at ${where} (${message}); changes stay queued on this laptop.`);
  }
  if (code === '28P01' || code === '28000') {
    return new RaceDeskError('auth_failed', `The hub at ${where} refused the login: ${message}. Check the user in the URL and the password (racedesk hub set).`);
  }
  if (code === '3D000') {
    return new RaceDeskError('hub_error', `The hub database in ${where} does not exist: ${message}.`);
  }
  if (/self.signed|certificate|SSL|TLS/i.test(message)) {
    return new RaceDeskError('hub_error', `TLS with the hub at ${where} failed: ${message}. Check sslmode in the URL and the hub's CA file (set it with racedesk hub set --ca-file).`);
  }
  return new RaceDeskError('hub_error', `The hub at ${where} answered: ${message}`);
}
