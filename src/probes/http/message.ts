// The request a probe sends and the response fields it observes, as plain data.
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonValue } from '../types.ts';
import { VERSION } from '../../version.ts';

type SpecBody = string | Record<string, unknown> | undefined;

/** The user's headers, plus a user-agent and, for an object body, a JSON content-type unless given. */
export function requestHeaders(headers: Readonly<Record<string, string>>, body: SpecBody): Record<string, string> {
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  return {
    ...(given.has('user-agent') ? {} : { 'user-agent': `syncproof/${VERSION}` }),
    ...(typeof body === 'object' && !given.has('content-type') ? { 'content-type': 'application/json' } : {}),
    ...headers,
  };
}

export function requestBody(body: SpecBody): string | undefined {
  return typeof body === 'object' ? JSON.stringify(body) : body;
}

/** Lower-case names (as undici gives them); a repeated header's values joined with `, `. */
export function responseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// What a JSON text can start with after its leading whitespace: anything else is not JSON, and the
// SyntaxError JSON.parse would throw (with its stack) is not worth making for each plain-text body.
const JSON_START = /^[ \t\n\r]*[{["\-0-9tfn]/;

/** The body parsed as JSON, or null when it is not JSON (or was cut off at the cap). */
export function parseJson(text: string): JsonValue {
  if (!JSON_START.test(text)) return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return null;
  }
}
