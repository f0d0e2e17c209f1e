// `${env:NAME}`, `${env:NAME:-fallback}`, `${file:/path}` (secrets), `${app:FIELD}`, `${var:NAME}`,
// `${var:NAME:-fallback}` (shown as they are) and `$${` (a literal `${`) in string values.
import { APP_FIELDS, appField, type AppField } from '../app-context.ts';
import { didYouMean } from '../suggest.ts';
import { readReferencedFile } from './file-reference.ts';

export type Interpolated =
  | { readonly ok: true; readonly value: string; readonly substituted: readonly string[]; readonly changed: boolean; readonly references: number }
  | { readonly ok: false; readonly messages: readonly string[] };

const ENV = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const FILE = /^file:(.+)$/s;
const APP = /^app:(.*)$/s;
const VAR = /^var:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const FORMS = '${env:NAME}, ${env:NAME:-fallback}, ${file:/path}, ${app:FIELD}, ${var:NAME} or ${var:NAME:-fallback} (write $${ for a literal ${)';

export interface InterpolateOptions {
  /** Check each reference's form only and substitute a placeholder: `validate --offline`, without the cluster's secrets and files. */
  readonly offline?: boolean;
}

/** What an offline check puts where a reference was: any text, so the value's own checks are skipped (see yaml.ts). */
export const OFFLINE_PLACEHOLDER = 'offline';

/**
 * Substitutes every reference in `text`. `substituted` lists the secret values (`env` and `file`), which
 * are masked in every output; `app` and `var` values are not secrets. A relative `${file:…}` path is read
 * relative to `baseDir`.
 */
export function interpolate(text: string, env: NodeJS.ProcessEnv, baseDir: string, options: InterpolateOptions = {}): Interpolated {
  if (!text.includes('${')) return { ok: true, value: text, substituted: [], changed: false, references: 0 };
  let references = 0;
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
    references++;
    const resolved = options.offline ? checkReference(inner) : resolveReference(inner, env, baseDir);
    if (resolved.ok) {
      value += resolved.value;
      if (!resolved.shown) substituted.push(resolved.value);
    } else {
      messages.push(resolved.message);
    }
    i = close + 1;
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, value, substituted, changed: true, references };
}

type Resolved = { ok: true; value: string; shown?: true } | { ok: false; message: string };

function resolveReference(inner: string, env: NodeJS.ProcessEnv, baseDir: string): Resolved {
  const envMatch = ENV.exec(inner);
  if (envMatch) {
    const [, name, fallback] = envMatch as unknown as [string, string, string | undefined];
    const set = env[name];
    if (set !== undefined) return { ok: true, value: set };
    if (fallback !== undefined) return { ok: true, value: fallback };
    return { ok: false, message: `environment variable ${name} is not set: pass it from a Secret (in the chart: env with valueFrom.secretKeyRef); a value that is no secret can be \${var:${name}:-default}` };
  }
  const fileMatch = FILE.exec(inner);
  if (fileMatch) {
    return readReferencedFile(fileMatch[1]!, baseDir);
  }
  const shown = resolveShown(inner, env);
  if (shown !== undefined) return shown;
  return { ok: false, message: `malformed "\${${inner}}": use ${FORMS}` };
}

/** `${app:FIELD}` and `${var:NAME}`: values that are not secrets, shown as they are. */
function resolveShown(inner: string, env: NodeJS.ProcessEnv): Resolved | undefined {
  const app = APP.exec(inner);
  if (app) {
    const field = app[1]!;
    if (!Object.hasOwn(APP_FIELDS, field)) return { ok: false, message: unknownAppField(field) };
    const value = appField(env, field as AppField);
    if (value !== null) return { ok: true, value, shown: true };
    return { ok: false, message: `\${app:${field}} needs ${APP_FIELDS[field as AppField]}, which is not set (the chart sets it from its \`app\` values; \`syncproof validate --offline\` checks a suite without it)` };
  }
  const v = VAR.exec(inner);
  if (v) {
    const [, name, fallback] = v as unknown as [string, string, string | undefined];
    const set = env[name];
    if (set !== undefined) return { ok: true, value: set, shown: true };
    if (fallback !== undefined) return { ok: true, value: fallback, shown: true };
    return { ok: false, message: `environment variable ${name} is not set (give a default with \${var:${name}:-value})` };
  }
  return undefined;
}

function unknownAppField(field: string): string {
  return `unknown field "${field}" in \${app:${field}}${didYouMean(field, Object.keys(APP_FIELDS))}; fields: ${Object.keys(APP_FIELDS).join(', ')}`;
}

/** `validate --offline`: the reference's form, nothing read. */
function checkReference(inner: string): Resolved {
  const app = APP.exec(inner);
  if (app && !Object.hasOwn(APP_FIELDS, app[1]!)) return { ok: false, message: unknownAppField(app[1]!) };
  if (ENV.test(inner) || FILE.test(inner) || app || VAR.test(inner)) return { ok: true, value: OFFLINE_PLACEHOLDER, shown: true };
  return { ok: false, message: `malformed "\${${inner}}": use ${FORMS}` };
}

