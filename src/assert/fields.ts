// Config-time check of a PATH against a probe type's observation fields (docs/assertions.md#checked-before-anything-runs).
import type { FieldKind, FieldKinds } from '../probes/types.ts';
import { didYouMean } from '../suggest.ts';
import type { LocatedSegment } from './path.ts';
import { fail, type Failure } from './scan.ts';

/** Every probe observes `duration`, whether or not its type lists it. */
export function withDuration(fields: FieldKinds): FieldKinds {
  return 'duration' in fields ? fields : { ...fields, duration: 'duration' };
}

/** A listed field's kind; a parent only implied by a dotted key (`replication` of `replication.lag`) is an object. */
export function declaredKind(dotted: string, fields: FieldKinds): FieldKind | undefined {
  if (Object.hasOwn(fields, dotted)) return fields[dotted];
  return Object.keys(fields).some((key) => key.startsWith(`${dotted}.`)) ? 'object' : undefined;
}

export function describeKind(kind: FieldKind): string {
  const names: Record<FieldKind, string> = {
    duration: 'a duration', number: 'a number', string: 'text', boolean: 'true or false',
    list: 'a list', object: 'an object', any: 'any value',
  };
  return names[kind];
}

/** The kind the path leads to (undefined when it is not known, e.g. an item of a list), or why it is wrong. */
export type PathKind = { readonly ok: true; readonly kind: FieldKind | undefined } | Failure;

export function checkPath(segments: readonly LocatedSegment[], fieldKinds: FieldKinds): PathKind {
  const fields = withDuration(fieldKinds);
  const [first, ...rest] = segments;
  const root = 'key' in first!.segment ? first!.segment.key : '';
  let dotted = root;
  let kind = declaredKind(root, fields);
  if (kind === undefined) return fail(unknownRoot(root, fields), first!.offset);
  for (const { segment, offset } of rest) {
    if (kind === 'any' || kind === undefined) return { ok: true, kind };
    if ('index' in segment) {
      if (kind !== 'list') return fail(`"${dotted}" is ${describeKind(kind)}, not a list: [${segment.index}] indexes a list`, offset);
      kind = undefined;
      continue;
    }
    const child = `${dotted}.${segment.key}`;
    const childKind = declaredKind(child, fields);
    if (childKind !== undefined) {
      dotted = child;
      kind = childKind;
    } else if (segment.key === 'length' && (kind === 'list' || kind === 'string')) {
      dotted = child;
      kind = 'number';
    } else if (kind === 'object') {
      const children = leaves(fields).filter((key) => key.startsWith(`${dotted}.`));
      return fail(`unknown field "${child}"${didYouMean(child, children)}; fields of "${dotted}": ${children.join(', ')}`, offset + 1);
    } else {
      const only = kind === 'list' || kind === 'string' ? ' (only .length)' : '';
      return fail(`"${dotted}" is ${describeKind(kind)} and has no field "${segment.key}"${only}`, offset + 1);
    }
  }
  return { ok: true, kind };
}

/** Listed paths that are not just the parent of other listed paths. */
function leaves(fields: FieldKinds): string[] {
  const keys = Object.keys(fields);
  return keys.filter((key) => fields[key] === 'any' || !keys.some((other) => other.startsWith(`${key}.`)));
}

function unknownRoot(root: string, fields: FieldKinds): string {
  const roots = new Set(Object.keys(fields).map((key) => key.split('.')[0]!));
  let hint = didYouMean(root, roots);
  // `expiresIn` on an http probe: the field exists one level down.
  const nested = Object.keys(fields).find((key) => key.toLowerCase().endsWith(`.${root.toLowerCase()}`));
  if (hint === '' && nested !== undefined) hint = ` (did you mean "${nested}"?)`;
  return `unknown field "${root}"${hint}; this probe type observes: ${leaves(fields).join(', ')}`;
}
