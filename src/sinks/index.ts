import type { SinkType } from './types.ts';

/** The closed registry of sink types, keyed by the suite file's `type`. */
export const sinkTypes: Readonly<Record<string, SinkType>> = {};
