// Whether another attempt could change the outcome: an untrusted or mismatched certificate will not.
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

export function isCertificateError(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && CERTIFICATE.test(e.code)) return true;
  }
  return false;
}
