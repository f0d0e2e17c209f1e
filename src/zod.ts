// zod as every schema of syncproof builds it: configured here, before any schema exists, because a schema
// reads the setting when it is built. Without zod's JIT: it would compile each object schema with
// `new Function` on its first parse, which a process that parses a suite once and exits never earns back,
// and its check whether it may (`new Function("")`, `navigator`) costs every start (docs/PERFORMANCE.md).
// Schemas import `z` from here, never from 'zod' (test/architecture/zod-config.test.ts).
import { config, z } from 'zod';

config({ jitless: true });

export { z };
