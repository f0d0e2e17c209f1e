// Throwaway certificates for TLS tests, made with the openssl CLI in a temp dir per test run:
// a CA, and leaves that are valid, expired, for the wrong host, or self-signed.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestCerts {
  readonly dir: string;
  /** The CA's certificate (PEM) and its path. */
  readonly ca: string;
  readonly caPath: string;
  /** Signed by the CA for localhost, 127.0.0.1 and ::1, valid for 90 days. */
  readonly valid: KeyPair;
  /** Signed by the CA for localhost, expired a day ago. */
  readonly expired: KeyPair;
  /** Signed by the CA for wrong.example only. */
  readonly wrongHost: KeyPair;
  /** Self-signed (no CA) for localhost and 127.0.0.1. */
  readonly selfSigned: KeyPair;
  /**
   * A mesh workload's shape (Istio, SPIFFE): signed by the CA with an empty subject (`-subj /`) and a
   * `URI:spiffe://…` alternative name, plus the local names so that it verifies on loopback.
   */
  readonly mesh: KeyPair;
  remove(): Promise<void>;
}

const LOCAL_NAMES = 'DNS:localhost,IP:127.0.0.1,IP:::1';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function makeCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(path.join(tmpdir(), 'syncproof-certs-'));
  const at = (name: string): string => path.join(dir, name);
  const openssl = (args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
  try {
    await openssl(['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30',
      '-subj', '/O=syncproof tests/CN=syncproof test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);

    const signed = async (name: string, commonName: string, altNames: string, days: number): Promise<KeyPair> => {
      await openssl(['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', commonName ? `/CN=${commonName}` : '/']);
      await writeFile(at(`${name}.ext`), `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\n`);
      // A negative -days makes notAfter precede notBefore (= now): an already expired certificate.
      await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
        '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
      return pair(name);
    };
    const pair = async (name: string): Promise<KeyPair> => ({
      key: await readFile(at(`${name}.key`), 'utf8'),
      cert: await readFile(at(`${name}.pem`), 'utf8'),
    });

    const valid = await signed('valid', 'localhost', LOCAL_NAMES, 90);
    const expired = await signed('expired', 'localhost', LOCAL_NAMES, -1);
    const wrongHost = await signed('wrong-host', 'wrong.example', 'DNS:wrong.example', 90);
    const mesh = await signed('mesh', '', `URI:spiffe://cluster.local/ns/shop/sa/web,${LOCAL_NAMES}`, 90);
    await openssl(['req', '-x509', ...EC_KEY, '-keyout', 'self.key', '-out', 'self.pem', '-days', '90',
      '-subj', '/CN=localhost', '-addext', `subjectAltName=${LOCAL_NAMES}`]);
    const selfSigned = await pair('self');

    return {
      dir,
      ca: await readFile(at('ca.pem'), 'utf8'),
      caPath: at('ca.pem'),
      valid, expired, wrongHost, selfSigned, mesh,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
