import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway certificate authority and a server certificate it signed for 127.0.0.1 and
 * localhost, plus a second, unrelated CA: what a hub on the internet and a wrong CA file look
 * like. Made with the openssl command, because node:crypto (Node 20) cannot sign certificates.
 */
export interface TestCertificates {
  /** The CA that signed the server certificate (PEM file), as settings.hub.caFile names it. */
  caFile: string;
  /** A CA that signed nothing the server has. */
  otherCaFile: string;
  /** Server certificate and key (PEM), for startEmbeddedPostgres({ tls }). */
  certificate: string;
  key: string;
  /** The names the server certificate is valid for. */
  serverNames: string[];
  cleanup(): void;
}

export function makeTestCertificates(): TestCertificates {
  if (spawnSync('sh', ['-c', 'command -v openssl']).status !== 0) {
    throw new Error('The TLS tests need the openssl command to make a throwaway CA and server certificate. Install it with: sudo apt-get install -y openssl');
  }
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  // P-256 keys: made in milliseconds, where RSA takes a noticeable moment on a busy machine.
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const makeCa = (name: string) =>
    openssl('req', '-x509', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  try {
    makeCa('racedesk-test-ca');
    makeCa('racedesk-other-ca');
    openssl('req', ...newKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(
      join(dir, 'server.ext'),
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'racedesk-test-ca.crt', '-CAkey', 'racedesk-test-ca.key', '-set_serial', '1',
      '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl could not make the test certificates: ${stderr || (error as Error).message}`, { cause: error });
  }
  return {
    caFile: join(dir, 'racedesk-test-ca.crt'),
    otherCaFile: join(dir, 'racedesk-other-ca.crt'),
    certificate: readFileSync(join(dir, 'server.crt'), 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    serverNames: ['127.0.0.1', 'localhost'],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
