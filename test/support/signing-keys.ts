// Ed25519 key pairs made by openssl, as a user makes them (docs/signing.md).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface KeyPair {
  /** PKCS#8 PEM private key file (`openssl genpkey -algorithm ed25519`). */
  readonly privatePath: string;
  /** SPKI PEM public key file (`openssl pkey -pubout`). */
  readonly publicPath: string;
  /** The key id as the docs say to compute it: the SHA-256 of the public key's DER, first 16 hex digits. */
  readonly keyId: string;
}

export function makeKeyPair(dir: string, name = 'ed25519'): KeyPair {
  const privatePath = join(dir, `${name}.pem`);
  const publicPath = join(dir, `${name}.pub.pem`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', privatePath]);
  execFileSync('openssl', ['pkey', '-in', privatePath, '-pubout', '-out', publicPath]);
  const der = execFileSync('openssl', ['pkey', '-in', privatePath, '-pubout', '-outform', 'DER']);
  return { privatePath, publicPath, keyId: createHash('sha256').update(der).digest('hex').slice(0, 16) };
}
