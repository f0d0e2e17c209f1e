// Result values as JSON: numbers as numbers where a double holds them exactly, the rest as text.
import type { TypeCast } from 'mysql2';
import { valueAsJson } from '../json-value.ts';
import type { JsonValue } from '../types.ts';

/** DECIMAL columns (and SUM/AVG results) come as text; up to 15 significant digits survive a double. */
export const typeCast: TypeCast = (field, next) => {
  if (field.type === 'NEWDECIMAL' || field.type === 'DECIMAL') {
    const text = field.string();
    return text === null ? null : decimal(text);
  }
  if (field.type === 'BIT') {
    const bytes = field.buffer();
    return bytes === null ? null : bits(bytes);
  }
  return next();
};

/** BIT(n) as a number (BIT(1) as 0/1), as text beyond 2^53. */
function bits(bytes: Buffer): number | string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

export function decimal(text: string): number | string {
  const digits = text.replace(/^[-+]?0*/, '').replace('.', '').replace(/^0+/, '');
  return digits.length <= 15 && Number.isFinite(Number(text)) ? Number(text) : text;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** BIGINTs beyond 2^53 stay text (mysql2 `supportBigNumbers`); bytes are text when they are UTF-8, else `0x…` hex. */
export function columnAsJson(value: unknown): JsonValue {
  return valueAsJson(value, bytesAsText);
}

function bytesAsText(raw: Buffer): JsonValue {
  try {
    const text = utf8.decode(raw);
    if (!CONTROL.test(text)) return text;
  } catch { /* not UTF-8 */ }
  return `0x${raw.toString('hex')}`;
}
