// One log line in pino's format, as pino 10 writes it on Node 24: the same key order, string
// escaping, `err` serializer (pino-std-serializers) and fallback for values JSON.stringify cannot take
// (as safe-stable-stringify does it for pino: sorted keys, depth 5, breadth 100, "[Circular]"; typed arrays and
// VError-style function causes are not special-cased: syncproof logs neither).
type Fields = Record<string, unknown>;
interface ErrorLike extends Fields { message: string }

/** Keys a child binding may not set: pino drops them. */
const RESERVED_BINDINGS = new Set(['level', 'serializers', 'formatters', 'customLevels']);
const MAX_DEPTH = 5;
const MAX_BREADTH = 100;

/** `{"level":N,"time":T` + bindings + the object's keys + `"msg"`, with the newline. */
export function logLine(level: number, bindings: string, first: object | string, message?: string): string {
  let fields: Fields;
  let msg: unknown = message;
  if (first instanceof Error) {
    fields = { err: first };
    msg ??= first.message;
  } else if (typeof first === 'object') {
    fields = first as Fields;
    if (msg === undefined && fields.msg === undefined && fields.err) msg = (fields.err as Fields).message;
  } else {
    fields = {};
    msg = first;
  }
  let line = `{"level":${level},"time":${Date.now()}${bindings}`;
  for (const key in fields) {
    const value = fields[key];
    if (!Object.hasOwn(fields, key) || value === undefined) continue;
    const json = fieldJson(key === 'err' ? serializeError(value) : value);
    if (json !== undefined) line += `,${quote(key)}:${json}`;
  }
  const msgJson = fieldJson(msg);
  return `${line}${msgJson === undefined ? '' : `,"msg":${msgJson}`}}\n`;
}

/** A child's bindings as the text that follows `time` in each of its lines. */
export function bindingsJson(bindings: object): string {
  let text = '';
  for (const [key, value] of Object.entries(bindings)) {
    if (RESERVED_BINDINGS.has(key) || value === undefined) continue;
    const json = stringify(key === 'err' ? serializeError(value) : value);
    if (json !== undefined) text += `,${quote(key)}:${json}`;
  }
  return text;
}

function fieldJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'undefined': case 'function': return undefined;
    case 'number': return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean': return String(value);
    case 'string': return quote(value);
    default: return stringify(value);
  }
}

/** pino's own escaping on Node < 25: quotes and backslashes; JSON.stringify past 100 characters or for control characters. */
function quote(text: string): string {
  if (text.length > 100 || /[\u0000-\u001f]/.test(text)) return JSON.stringify(text);
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

function stringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) as string | undefined;
  } catch {
    try {
      return safeJson('', value, []);
    } catch {
      return '"[unable to serialize, circular reference is too complex to analyze]"';
    }
  }
}

function safeJson(key: string, value: unknown, stack: object[]): string | undefined {
  switch (typeof value) {
    case 'bigint': return String(value);
    case 'string': case 'number': case 'boolean': return JSON.stringify(value);
    case 'object': if (value === null) return 'null'; break;
    default: return undefined;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    value = toJSON.call(value, key);
    if (typeof value !== 'object' || value === null) return safeJson(key, value, stack);
  }
  const object = value as object;
  if (stack.includes(object)) return '"[Circular]"';
  if (Array.isArray(object)) {
    if (object.length === 0) return '[]';
    if (stack.length + 1 > MAX_DEPTH) return '"[Array]"';
    stack.push(object);
    const items: string[] = [];
    for (let i = 0; i < Math.min(object.length, MAX_BREADTH); i++) items.push(safeJson(String(i), object[i], stack) ?? 'null');
    if (object.length > MAX_BREADTH) items.push(`"... ${itemCount(object.length - MAX_BREADTH)} not stringified"`);
    stack.pop();
    return `[${items.join(',')}]`;
  }
  const keys = Object.keys(object).sort();
  const total = keys.length;
  if (total === 0) return '{}';
  if (stack.length + 1 > MAX_DEPTH) return '"[Object]"';
  const parts: string[] = [];
  stack.push(object);
  for (const k of keys.slice(0, MAX_BREADTH)) {
    const json = safeJson(k, (object as Fields)[k], stack);
    if (json !== undefined) parts.push(`${JSON.stringify(k)}:${json}`);
  }
  if (total > MAX_BREADTH) parts.push(`"...":"${itemCount(total - MAX_BREADTH)} not stringified"`);
  stack.pop();
  return `{${parts.join(',')}}`;
}

function itemCount(count: number): string {
  return count === 1 ? '1 item' : `${count} items`;
}

function isErrorLike(value: unknown): value is ErrorLike {
  return Boolean(value) && typeof (value as Fields).message === 'string';
}

/** pino-std-serializers' `err`: type, message and stack with their causes', aggregated errors, then every enumerable key. */
function serializeError(err: unknown, open = new Set<object>()): unknown {
  if (!isErrorLike(err)) return err;
  open.add(err);
  const out: Fields = {
    type: Object.prototype.toString.call(err.constructor) === '[object Function]' ? (err.constructor as { name: unknown }).name : err.name,
    message: withCauses(err, 'message', new Set()),
    stack: withCauses(err, 'stack', new Set()),
  };
  if (Array.isArray(err.errors)) out.aggregateErrors = err.errors.map((e: unknown) => (open.has(e as object) ? '[Circular]' : serializeError(e, open)));
  for (const key in err) {
    // pino's serialized error has a `raw` accessor and Object.prototype's keys: a key of those names is never copied.
    if (key === 'raw' || out[key] !== undefined) continue;
    const value = err[key];
    if (!isErrorLike(value)) out[key] = value;
    else if (key !== 'cause' && !open.has(value)) out[key] = serializeError(value, open);
  }
  open.delete(err);
  return out;
}

function causeOf(err: ErrorLike): ErrorLike | undefined {
  return isErrorLike(err.cause) ? err.cause : undefined;
}

/** `message: cause's message: …` or `stack\ncaused by: cause's stack…`, as pino-std-serializers joins them. */
function withCauses(err: ErrorLike, part: 'message' | 'stack', seen: Set<object>): string {
  const own = String((part === 'message' ? err.message : err.stack) || '');
  if (seen.has(err)) return `${own}${part === 'message' ? ': ...' : '\ncauses have become circular...'}`;
  const cause = causeOf(err);
  if (!cause) return own;
  seen.add(err);
  return `${own}${part === 'message' ? ': ' : '\ncaused by: '}${withCauses(cause, part, seen)}`;
}
