// zod issues to configuration errors: at the key for unknown keys, at the parent mapping for missing
// ones, at the value otherwise, with "did you mean" hints where one is close.
import type { z } from '../zod.ts';
import { didYouMean } from '../suggest.ts';
import { configError } from './errors.ts';
import { describeInput } from '../spec-parts.ts';
import { formatPath, nodeAt, toPlain, type Node, type PathKey } from './tree.ts';
import type { ConfigError, SourcePosition } from '../suite.ts';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/**
 * Validates the value written at `base` of the file tree `root` and returns the output or the errors. `plain`
 * makes the value zod reads from the node (default: all of it).
 */
export function validate<S extends z.ZodType>(
  schema: S,
  root: Node,
  base: readonly PathKey[],
  plain: (node: Node) => unknown = toPlain,
): { ok: true; value: z.output<S> } | { ok: false; errors: ConfigError[] } {
  const node = nodeAt(root, base);
  const value = node === undefined ? undefined : plain(node);
  const result = schema.safeParse(value, { error: messageFor });
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.flatMap((issue) => toConfigErrors(issue, schema, value, root, base));
  return { ok: false, errors: dropMissingThatIsMisspelt(errors) };
}

function toConfigErrors(issue: Issue, schema: z.ZodType, value: unknown, root: Node, base: readonly PathKey[]): ConfigError[] {
  const path = [...base, ...(issue.path as PathKey[])];
  const target = nodeAt(root, path);
  if (target?.kind === 'scalar' && (target.failed || target.unresolved)) return [];
  if (issue.code === 'unrecognized_keys') {
    const known = objectKeysAt(schema, issue.path as PathKey[], value);
    return issue.keys.map((key) => {
      const entry = target?.kind === 'map' ? target.entries.get(key) : undefined;
      return configError(entry?.keyAt ?? target?.at ?? root.at, formatPath([...path, key]), `unknown key "${key}"${didYouMean(key, known)}`);
    });
  }
  if (target === undefined) {
    const parent = nodeAt(root, path.slice(0, -1));
    const key = path.at(-1);
    return [configError(parent?.at ?? root.at, formatPath(path), `missing required key "${String(key)}"`)];
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.errors.length === 0) {
    const what = base[0] === 'sinks' ? 'sink' : 'probe';
    const options = ('options' in issue ? (issue.options as unknown[]) : []).map(String);
    const written = target.kind === 'scalar' ? target.value : undefined;
    const hint = typeof written === 'string' ? didYouMean(written, options) : '';
    return [configError(target.at, formatPath(path), `unknown ${what} type ${describeInput(written ?? toPlain(target))}${hint}; known types: ${options.join(', ')}`)];
  }
  return [configError(valueAt(root, path, target), formatPath(path), issue.message)];
}

/** A scalar where it starts; a block mapping or list under a key at that key (its own start is its first child). */
function valueAt(root: Node, path: readonly PathKey[], target: Node): SourcePosition {
  const key = path.at(-1);
  if (target.kind === 'scalar' || typeof key !== 'string') return target.at;
  const parent = nodeAt(root, path.slice(0, -1));
  return (parent?.kind === 'map' ? parent.entries.get(key)?.keyAt : undefined) ?? target.at;
}

/** `missing required key "host"` says nothing new beside `unknown key "hots" (did you mean "host"?)`. */
function dropMissingThatIsMisspelt(errors: ConfigError[]): ConfigError[] {
  const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('.')));
  const suggested = new Set(errors.flatMap((e) => {
    const hint = /^unknown key .* \(did you mean "(.+)"\?\)$/.exec(e.message)?.[1];
    const parent = parentOf(e.path);
    return hint === undefined ? [] : [parent ? `${parent}.${hint}` : hint];
  }));
  return errors.filter((e) => !(e.message.startsWith('missing required key') && suggested.has(e.path)));
}

/** Messages for zod's built-in checks; a schema's own message wins over these. */
function messageFor(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${expectedText(issue.expected)}, got ${describeInput(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      return `must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}, got ${describeInput(issue.input)}${hint}`;
    }
    case 'too_small':
      return bound('at least', 'greater than', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return bound('at most', 'less than', issue.origin, issue.maximum, issue.inclusive);
    case 'invalid_format':
      return 'pattern' in issue && issue.pattern !== undefined ? `must match ${String(issue.pattern)}` : undefined;
    default:
      return undefined;
  }
}

function bound(inclusiveText: string, exclusiveText: string, origin: string, limit: unknown, inclusive: boolean | undefined): string {
  const n = Number(limit);
  if (origin === 'string') return n === 1 && inclusiveText === 'at least' ? 'must not be empty' : `must be ${inclusiveText} ${n} characters long`;
  if (origin === 'array' || origin === 'set') return `must have ${inclusiveText} ${n} item${n === 1 ? '' : 's'}`;
  return `must be ${inclusive === false ? exclusiveText : inclusiveText} ${String(limit)}`;
}

function expectedText(expected: string): string {
  const texts: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    record: 'a mapping',
    map: 'a mapping',
  };
  return texts[expected] ?? expected;
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The keys an object schema allows at `path` (for hints); unions are resolved by the value written. */
function objectKeysAt(schema: unknown, path: readonly PathKey[], value: unknown): string[] {
  const def = defOf(schema);
  if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) {
    return objectKeysAt(def.innerType, path, value);
  }
  if (def.type === 'pipe') return objectKeysAt(def.in, path, value);
  if (def.type === 'union') {
    const options = def.options as unknown[];
    const chosen = options.find((o) => matchesDiscriminator(o, def.discriminator, value)) ?? options[0];
    return chosen === undefined ? [] : objectKeysAt(chosen, path, value);
  }
  const [head, ...rest] = path;
  const child = (value as Record<PathKey, unknown> | undefined)?.[head as PathKey];
  if (def.type === 'object') {
    const shape = def.shape as Record<string, unknown>;
    if (head === undefined) return Object.keys(shape);
    return shape[String(head)] === undefined ? [] : objectKeysAt(shape[String(head)], rest, child);
  }
  if (def.type === 'array' && head !== undefined) return objectKeysAt(def.element, rest, child);
  if (def.type === 'record' && head !== undefined) return objectKeysAt(def.valueType, rest, child);
  return [];
}

function matchesDiscriminator(option: unknown, discriminator: unknown, value: unknown): boolean {
  if (typeof discriminator !== 'string' || typeof value !== 'object' || value === null) return false;
  const field = (defOf(option).shape as Record<string, unknown> | undefined)?.[discriminator];
  if (field === undefined) return false;
  const values = defOf(field).values as unknown[] | undefined;
  return values?.includes((value as Record<string, unknown>)[discriminator]) ?? false;
}
