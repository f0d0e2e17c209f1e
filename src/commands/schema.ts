import { suiteJsonSchema } from '../config/schema.ts';

export function schemaCommand(): number {
  process.stdout.write(JSON.stringify(suiteJsonSchema(), null, 2) + '\n');
  return 0;
}
