// `signing:` at the suite level: the key every record of the suite is signed with.
import { z } from '../zod.ts';
import { privateKeyOf } from './key.ts';

const key = z.string().check(z.minLength(1), z.superRefine((pem, ctx) => {
  const key = privateKeyOf(pem);
  if (!key.ok) ctx.addIssue({ code: 'custom', message: key.error });
}));

export const signingSchema = z.meta(
  z.strictObject({ key: z.meta(key, { description: 'an Ed25519 private key, PKCS#8 PEM; give it with ${file:/path} so it stays a secret' }) }),
  { description: 'sign every record: signature {alg: Ed25519, keyId, value} over its RFC 8785 canonical JSON (docs/signing.md)' },
);
