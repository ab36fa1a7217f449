/**
 * Test-only TLS material, generated with the system `openssl` into a temp dir (nothing is committed).
 *
 *   const certs = createTestCertificates();
 *   startFakeProvider('openai', { tls: certs.localhost });   // trusted only with certs.caPem
 *   certs.selfSigned / certs.wrongHost                        // for "self-signed" and "hostname mismatch"
 *   certs.cleanup()
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyAndCert {
  key: string;
  cert: string;
}

export interface TestCertificates {
  /** The private test CA that signed `localhost` and `wrongHost`. */
  caPem: string;
  /** Signed by the CA for localhost, 127.0.0.1 and ::1. */
  localhost: KeyAndCert;
  /** Signed by the CA for other.invalid only: a hostname mismatch on 127.0.0.1. */
  wrongHost: KeyAndCert;
  /** Self-signed for localhost and 127.0.0.1. */
  selfSigned: KeyAndCert;
  cleanup(): void;
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function ecKey(cwd: string, file: string): void {
  openssl(cwd, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file]);
}

function signed(cwd: string, name: string, san: string): KeyAndCert {
  ecKey(cwd, `${name}.key`);
  openssl(cwd, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
  writeFileSync(
    join(cwd, `${name}.ext`),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(cwd, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  ]);
  return { key: readFileSync(join(cwd, `${name}.key`), 'utf8'), cert: readFileSync(join(cwd, `${name}.pem`), 'utf8') };
}

export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'pd-certs-'));
  ecKey(dir, 'ca.key');
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=Provider Desk Test CA',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    'ca.pem',
  ]);
  const localhost = signed(dir, 'localhost', 'DNS:localhost,IP:127.0.0.1,IP:::1');
  const wrongHost = signed(dir, 'wronghost', 'DNS:other.invalid');
  ecKey(dir, 'self.key');
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-subj',
    '/CN=localhost',
    '-days',
    '2',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-out',
    'self.pem',
  ]);
  const selfSigned = { key: readFileSync(join(dir, 'self.key'), 'utf8'), cert: readFileSync(join(dir, 'self.pem'), 'utf8') };
  return {
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    localhost,
    wrongHost,
    selfSigned,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
