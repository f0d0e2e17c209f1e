// zod as every schema of syncproof builds it, for two reasons (docs/PERFORMANCE.md):
// - Its settings, set here before any schema exists, because a schema reads them when it is built. Without
//   zod's JIT: it would compile each object schema with `new Function` on its first parse, which a process
//   that parses a suite once and exits never earns back, and its check whether it may (`new Function("")`,
//   `navigator`) costs every start.
// - Only the functions syncproof calls, imported by name: zod's `z` namespace holds every schema class,
//   JSON Schema's import and export and more, all built at every start; by name, the bundler leaves out
//   what nothing calls.
// Schemas take `z` from here, never from 'zod' (test/architecture/zod-config.test.ts); a function missing
// below is a type error where it is called, and is added here.
import {
  array, boolean, config, discriminatedUnion, enum as enumOf, json, literal, looseObject, null as nullOf, number, record,
  strictObject, string, toJSONSchema, union, unknown,
} from 'zod';
import type * as zod from 'zod';

config({ jitless: true });

export const z = {
  array, boolean, discriminatedUnion, enum: enumOf, json, literal, looseObject, null: nullOf, number, record,
  strictObject, string, toJSONSchema, union, unknown,
};

/** zod's types, under the same names as in its namespace. */
export declare namespace z {
  export type output<T> = zod.output<T>;
  export type input<T> = zod.input<T>;
  export type ZodType = zod.ZodType;
  export type ZodObject<S extends zod.core.$ZodShape = zod.core.$ZodLooseShape, C extends zod.core.$ZodObjectConfig = zod.core.$strip> = zod.ZodObject<S, C>;
  export type RefinementCtx<T = unknown> = zod.RefinementCtx<T>;
  export namespace core {
    export type $ZodLooseShape = zod.core.$ZodLooseShape;
    export type ParsePayload<T = unknown> = zod.core.ParsePayload<T>;
  }
}
