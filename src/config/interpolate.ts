// `${env:NAME}`, `${env:NAME:-fallback}`, `${file:/path}` and `$${` (a literal `${`) in string values.
import { readReferencedFile } from './file-reference.ts';

export type Interpolated =
  | { readonly ok: true; readonly value: string; readonly substituted: readonly string[]; readonly changed: boolean }
  | { readonly ok: false; readonly messages: readonly string[] };

const ENV = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const FILE = /^file:(.+)$/s;
const FORMS = '${env:NAME}, ${env:NAME:-fallback} or ${file:/path} (write $${ for a literal ${)';

/**
 * Substitutes every reference in `text`. `substituted` lists the values that came from outside the
 * file (they are secrets). A relative `${file:…}` path is read relative to `baseDir`.
 */
export function interpolate(text: string, env: NodeJS.ProcessEnv, baseDir: string): Interpolated {
  if (!text.includes('${')) return { ok: true, value: text, substituted: [], changed: false };
  let value = '';
  const substituted: string[] = [];
  const messages: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i];
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      messages.push(`unterminated "${text.slice(i, i + 40)}": use ${FORMS}`);
      break;
    }
    const inner = text.slice(i + 2, close);
    const resolved = resolveReference(inner, env, baseDir);
    if (resolved.ok) {
      value += resolved.value;
      substituted.push(resolved.value);
    } else {
      messages.push(resolved.message);
    }
    i = close + 1;
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, value, substituted, changed: true };
}

function resolveReference(inner: string, env: NodeJS.ProcessEnv, baseDir: string): { ok: true; value: string } | { ok: false; message: string } {
  const envMatch = ENV.exec(inner);
  if (envMatch) {
    const [, name, fallback] = envMatch as unknown as [string, string, string | undefined];
    const set = env[name];
    if (set !== undefined) return { ok: true, value: set };
    if (fallback !== undefined) return { ok: true, value: fallback };
    return { ok: false, message: `environment variable ${name} is not set (give a fallback with \${env:${name}:-value})` };
  }
  const fileMatch = FILE.exec(inner);
  if (fileMatch) {
    return readReferencedFile(fileMatch[1]!, baseDir);
  }
  return { ok: false, message: `malformed "\${${inner}}": use ${FORMS}` };
}

/** `no such file or directory`, `permission denied`, … without the stack or the repeated path. */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent is not a directory',
    ELOOP: 'too many symbolic links',
  };
  if (code !== undefined && known[code] !== undefined) return known[code];
  return error instanceof Error ? error.message : String(error);
}
