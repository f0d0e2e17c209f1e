// `syncproof verify FILE|ID --key PUBLIC.pem`: exit 0 when the record's signature checks with the key, 1 when not.
import { readFileSync, statSync } from 'node:fs';
import { errorReason } from '../error-words.ts';
import type { JsonValue } from '../probes/types.ts';
import { redact } from '../secrets.ts';
import { publicKeyOf } from '../signing/key.ts';
import { verifyRecord } from '../signing/verify.ts';
import type { EvidenceArgs } from './evidence-args.ts';
import { read, suiteStore } from './store-access.ts';

const MAX_RECORD_FILE_BYTES = 64 << 20;
/** Further altered fields listed after the first. */
const MORE_LISTED = 20;

export async function verifyCommand(args: EvidenceArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const fail = (message: string, code: number) => {
    process.stderr.write(redact(`syncproof: ${message}\n`));
    return code;
  };
  if (args.key === undefined) return fail('verify needs --key PUBLIC.pem (the public key of the suite\'s signing.key)', 2);
  let pem: string;
  try {
    pem = readFileSync(args.key, 'utf8');
  } catch (error) {
    return fail(`cannot read the key ${args.key} (${errorReason(error)})`, 2);
  }
  const key = publicKeyOf(pem);
  if (!key.ok) return fail(`--key ${args.key} ${key.error}`, 2);
  const what = args.operands[0]!;
  const document = isFile(what) ? readRecordFile(what) : await readStored(what, args, env);
  if (typeof document === 'number') return document;
  if ('error' in document) return fail(document.error, 1);
  const id = recordId(document.value) ?? what;
  const result = verifyRecord(document.value, key.key);
  if (result.ok) {
    process.stdout.write(redact(`verified: run ${id}${about(document.value)}, signed by key ${result.keyId}\n`));
    return 0;
  }
  const more = result.changes.slice(1, 1 + MORE_LISTED).map((c) => `  also ${c.change}: ${c.path}`);
  if (result.changes.length > 1 + MORE_LISTED) more.push(`  … and ${result.changes.length - 1 - MORE_LISTED} more`);
  process.stdout.write(redact([`NOT VERIFIED: run ${id}: ${result.reason}`, ...more].join('\n') + '\n'));
  return 1;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readRecordFile(path: string): { value: JsonValue } | { error: string } {
  try {
    if (statSync(path).size > MAX_RECORD_FILE_BYTES) return { error: `${path} is larger than ${MAX_RECORD_FILE_BYTES >> 20} MiB: not a record` };
    return { value: JSON.parse(readFileSync(path, 'utf8')) as JsonValue };
  } catch (error) {
    return { error: `${path} is not a JSON record (${error instanceof SyntaxError ? error.message : errorReason(error)})` };
  }
}

async function readStored(id: string, args: EvidenceArgs, env: NodeJS.ProcessEnv): Promise<{ value: JsonValue } | { error: string } | number> {
  if (!/^[0-9a-f-]{8,36}$/i.test(id)) {
    process.stderr.write(redact(`syncproof: no file ${id}, and it is not a run id\nTry 'syncproof --help'.\n`));
    return 2;
  }
  const opened = await suiteStore(args.config, env);
  if (!opened.ok) return opened.code;
  const found = await read(opened.store, (signal) => opened.store.get(id, signal));
  if (!found.ok) return 1;
  return found.value ? { value: found.value.raw } : { error: `no run ${id} in the store ${opened.store.target}` };
}

function recordId(value: JsonValue): string | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.id === 'string' ? value.id : undefined;
}

/** ` (suite orders, app orders@3f2a9c1, passed)` from what the record says of itself. */
function about(value: JsonValue): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return '';
  const app = value.app !== null && typeof value.app === 'object' && !Array.isArray(value.app) ? value.app : {};
  const rev = typeof app.revision === 'string' ? `@${app.revision.slice(0, 7)}` : '';
  const parts = [typeof value.suite === 'string' ? `suite ${value.suite}` : '', typeof app.name === 'string' ? `app ${app.name}${rev}` : '', typeof value.verdict === 'string' ? value.verdict : ''];
  const text = parts.filter(Boolean).join(', ');
  return text ? ` (${text})` : '';
}
