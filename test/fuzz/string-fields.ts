// Every place a string can go in a probe or sink spec, found by walking its zod schema: `url`,
// `tls.ca`, `headers.<key>` (a record's keys), `headers.*` (its values), `command[]` (list items).
import type { z } from '../../src/zod.ts';

interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

export function stringFields(schema: z.ZodType, path = ''): string[] {
  const def = defOf(schema);
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  switch (def.type) {
    case 'string': return [path];
    case 'object': return Object.entries(def.shape!).flatMap(([key, inner]) => stringFields(inner, at(key)));
    case 'optional': case 'default': case 'nullable': case 'readonly': case 'prefault': return stringFields(def.innerType!, path);
    case 'pipe': return stringFields(def.in!, path);
    case 'union': return [...new Set(def.options!.flatMap((option) => stringFields(option, path)))];
    case 'record': return [...stringFields(def.keyType!, at('<key>')), ...stringFields(def.valueType!, at('*'))];
    case 'array': return stringFields(def.element!, `${path}[]`);
    default: return [];
  }
}
