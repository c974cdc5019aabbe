import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientConfig, redactUrl, refuseInsecureRemote, tlsState } from '../../../src-main/core/hub/client.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('hub connection settings', () => {
  it('reads host, database, user and a password kept apart from the URL', () => {
    const config = clientConfig({ url: 'postgres://racedesk_p1_ab12cd@hub.example.com:6543/hub?sslmode=disable', password: 'from-keychain' });
    expect(config).toMatchObject({ host: 'hub.example.com', port: 6543, database: 'hub', user: 'racedesk_p1_ab12cd', password: 'from-keychain', ssl: false });
  });

  it('verifies certificate and host name by default for a hub that is not on this computer; loopback stays plain unless asked', () => {
    expect(clientConfig({ url: 'postgres://u@hub.example.com/hub' }).ssl).toEqual({ ca: undefined, rejectUnauthorized: true });
    expect(clientConfig({ url: 'postgres://u@10.0.0.5/hub' }).ssl).toEqual({ ca: undefined, rejectUnauthorized: true });
    expect(clientConfig({ url: 'postgres://u@hub.example.com/hub?sslmode=disable' }).ssl).toBe(false);
    for (const local of ['postgres://u@127.0.0.1/hub', 'postgres://u@localhost/hub', 'postgres://u@[::1]/hub']) expect(clientConfig({ url: local }).ssl, local).toBe(false);
    expect(tlsState({ url: 'postgres://u@hub.example.com/hub' })).toBe('encrypted, certificate and host name checked: sslmode=verify-full (the default for this host)');
    expect(tlsState({ url: 'postgres://u@hub.example.com/hub?sslmode=require' })).toBe('encrypted, certificate NOT checked: sslmode=require');
    expect(tlsState({ url: 'postgres://u@127.0.0.1/hub' })).toBe('not encrypted: sslmode=disable (the default for this host)');
  });

  it('refuses sslmode=disable to a remote hub unless --insecure says so', () => {
    expect(() => refuseInsecureRemote({ url: 'postgres://u@hub.example.com/hub?sslmode=disable' }, false)).toThrow(
      /says sslmode=disable for hub\.example\.com, which is not this computer.*pass --insecure/,
    );
    expect(() => refuseInsecureRemote({ url: 'postgres://u@hub.example.com/hub?sslmode=disable' }, true)).not.toThrow();
    expect(() => refuseInsecureRemote({ url: 'postgres://u@127.0.0.1/hub?sslmode=disable' }, false)).not.toThrow();
    expect(() => refuseInsecureRemote({ url: 'postgres://u@hub.example.com/hub' }, false)).not.toThrow();
  });

  it('gives sslmode its libpq meaning, with the CA file from settings', () => {
    const folder = (dir = mkdtempSync(join(tmpdir(), 'racedesk-ca-')));
    const caFile = join(folder, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const base = 'postgres://u@hub.example.com/hub?sslmode=';
    expect(clientConfig({ url: `${base}require` }).ssl).toEqual({ rejectUnauthorized: false });
    expect(clientConfig({ url: `${base}verify-full`, caFile }).ssl).toEqual({ ca: expect.stringContaining('BEGIN CERTIFICATE'), rejectUnauthorized: true });
    const verifyCa = clientConfig({ url: `${base}verify-ca`, caFile }).ssl as { rejectUnauthorized: boolean; checkServerIdentity: unknown };
    expect(verifyCa.rejectUnauthorized).toBe(true);
    expect(typeof verifyCa.checkServerIdentity).toBe('function');
    expect(() => clientConfig({ url: `${base}verify-full`, caFile: join(folder, 'missing.pem') })).toThrow(/Cannot read the hub's CA certificate file/);
    expect(() => clientConfig({ url: `${base}allow` })).toThrow(/sslmode=allow is not supported/);
  });

  it('refuses what is not a postgres URL and never shows a password', () => {
    expect(() => clientConfig({ url: 'https://hub.example.com' })).toThrow(/must start with postgres:\/\//);
    expect(() => clientConfig({ url: 'not a url :pw' })).toThrow(/is not a URL/);
    expect(redactUrl('postgres://admin:s3cret@hub:5432/hub')).toBe('postgres://admin:***@hub:5432/hub');
    expect(redactUrl('postgres://:s3cret@hub:5432/hub')).toBe('postgres://:***@hub:5432/hub');
    expect(redactUrl('postgres://admin:p@ss@w0rd@hub:5432/hub?sslmode=verify-full')).toBe('postgres://admin:***@hub:5432/hub?sslmode=verify-full');
    expect(redactUrl('postgresql://admin:a:b/c@hub/hub')).toBe('postgresql://admin:***@hub/hub');
    expect(redactUrl('postgres://admin@hub/hub')).toBe('postgres://admin@hub/hub');
  });
});
