// Ed25519 keys for signing records: a PKCS#8 PEM private key (`openssl genpkey -algorithm ed25519`) to
// sign, an SPKI PEM public key (`openssl pkey -pubout`) to verify, and the key id that names a key pair.
import type { KeyObject } from 'node:crypto';

// node:crypto is taken when a key is read, not imported: `validate` of a suite without `signing` never loads it.
const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');

/** Hex digits of the SHA-256 of the public key's SPKI DER that make the key id. */
export const KEY_ID_LENGTH = 16;

export type KeyResult = { readonly ok: true; readonly key: KeyObject } | { readonly ok: false; readonly error: string };

export function privateKeyOf(pem: string): KeyResult {
  return ed25519(() => crypto().createPrivateKey({ key: pem, format: 'pem' }), 'is not a PEM private key: make one with `openssl genpkey -algorithm ed25519 -out ed25519.pem`');
}

/** A public key PEM, or a private key PEM (its public half is used). */
export function publicKeyOf(pem: string): KeyResult {
  return ed25519(() => crypto().createPublicKey({ key: pem, format: 'pem' }), 'is not a PEM public key: derive it with `openssl pkey -in ed25519.pem -pubout -out ed25519.pub.pem`');
}

function ed25519(read: () => KeyObject, notPem: string): KeyResult {
  let key: KeyObject;
  try {
    key = read();
  } catch {
    return { ok: false, error: notPem };
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    return { ok: false, error: `is a ${key.asymmetricKeyType ?? 'symmetric'} key, not Ed25519: make one with \`openssl genpkey -algorithm ed25519\`` };
  }
  return { ok: true, key };
}

/** `openssl pkey -in KEY -pubout -outform DER | sha256sum | cut -c1-16`: the same for the private key and its public key. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? crypto().createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return crypto().createHash('sha256').update(der).digest('hex').slice(0, KEY_ID_LENGTH);
}
