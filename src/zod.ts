// zod as every schema of syncproof builds it (docs/PERFORMANCE.md):
// - zod/mini, zod's functional API over the same core: classic zod's schemas carry every method (`.optional()`,
//   `.toJSONSchema()`, ...), which keeps all of its schema classes and its JSON Schema code in every bundle
//   that builds one (~200 KB, read and compiled at every start). With mini only what syncproof calls is bundled.
// - Its settings, set here before any schema exists, because a schema reads them when it is built: English
//   messages (classic installs them itself; mini leaves them to the caller), and no JIT: zod would compile each
//   object schema with `new Function` on its first parse, which a process that parses a suite once and exits
//   never earns back, and its check whether it may (`new Function("")`, `navigator`) costs every start.
// Schemas take `z` from here, never from 'zod' (test/architecture/zod-config.test.ts); a function missing
// below is a type error where it is called, and is added here.
import {
  _default, array, boolean, catchall, config, discriminatedUnion, enum as enumOf, globalRegistry, gte, int, json,
  literal, looseObject, lte, maxLength, minLength, never, null as nullOf, nullable, number, optional, pipe, record,
  refine, regex, safeExtend, strictObject, string, superRefine, transform, union, unknown,
} from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type * as zod from 'zod/mini';

config({ ...en(), jitless: true });

type Meta = zod.core.GlobalMeta;

/**
 * `schema` with `metadata` for the JSON Schema (description, pattern, ...), registered on `schema` itself:
 * classic zod's `.meta()` registered it on a copy. So it is given only a schema just built, never one shared.
 */
function meta<T extends zod.core.$ZodType>(schema: T, metadata: Meta): T {
  globalRegistry.add(schema, { ...globalRegistry.get(schema), ...metadata });
  return schema;
}

/** `schema`'s output mapped through `fn` (classic zod's `.transform(fn)`). */
function transformed<A extends zod.core.$ZodType, O>(schema: A, fn: (value: zod.output<A>) => O) {
  return pipe(schema, transform(fn));
}

export const z = {
  array, boolean, catchall, default: _default, discriminatedUnion, enum: enumOf, gte, int, json, literal, looseObject,
  lte, maxLength, meta, minLength, never, null: nullOf, nullable, number, optional, pipe, record, refine, regex,
  safeExtend, strictObject, string, superRefine, transformed, union, unknown,
};

export { toJSONSchema } from 'zod/mini';

/** zod's types, under the same names as in its namespace. */
export declare namespace z {
  export type output<T> = zod.output<T>;
  export type input<T> = zod.input<T>;
  export type ZodType = zod.ZodMiniType;
  export type ZodObject<S extends zod.core.$ZodShape = zod.core.$ZodLooseShape, C extends zod.core.$ZodObjectConfig = zod.core.$strip> = zod.ZodMiniObject<S, C>;
  export type RefinementCtx<T = unknown> = zod.core.$RefinementCtx<T>;
  export namespace core {
    export type $ZodLooseShape = zod.core.$ZodLooseShape;
    export type ParsePayload<T = unknown> = zod.core.ParsePayload<T>;
    export type $ZodIssue = zod.core.$ZodIssue;
    export type $ZodRawIssue = zod.core.$ZodRawIssue;
  }
}
