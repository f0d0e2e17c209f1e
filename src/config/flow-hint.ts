// An unquoted `${…}` inside a flow mapping or list (`headers: { authorization: Bearer ${env:TOKEN} }`) breaks
// YAML at its `{`, and the parser reports a cascade of errors that do not say why. One error with the fix instead.
import { configError } from './errors.ts';
import type { ConfigError } from '../suite.ts';

/** The line's unquoted `${` inside `{ }` or `[ ]`: its column (1-based) and the scalar to quote, if any. */
function unquotedReference(line: string): { col: number; scalar: string } | undefined {
  let quote: string | null = null;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ')) return undefined;
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') { depth++; start = i + 1; }
    else if (c === '}' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' || (c === ':' && line[i + 1] === ' ')) start = i + 1;
    else if (c === '$' && line[i + 1] === '{' && line[i - 1] !== '$' && depth > 0) {
      const close = line.indexOf('}', i);
      const end = close < 0 ? line.length : close + 1;
      const rest = /^[^,\]}]*/.exec(line.slice(end))?.[0] ?? '';
      return { col: i + 1, scalar: `${line.slice(start, i)}${line.slice(i, end)}${rest}`.trim() };
    }
  }
  return undefined;
}

/** Replaces the YAML errors of each line that has such a reference by one error that says to quote it. */
export function withFlowHints(errors: readonly ConfigError[], text: string): ConfigError[] {
  const lines = text.split('\n');
  const hinted = new Map<number, ConfigError>();
  for (const error of errors) {
    if (hinted.has(error.at.line)) continue;
    const found = unquotedReference(lines[error.at.line - 1] ?? '');
    if (found === undefined) continue;
    const quoted = JSON.stringify(found.scalar);
    hinted.set(error.at.line, configError({ ...error.at, col: found.col }, error.path, `YAML: an unquoted \${…} inside { } or [ ] ends the value at its "{": quote the value, e.g. ${quoted}`));
  }
  if (hinted.size === 0) return [...errors];
  return [...errors.filter((e) => !hinted.has(e.at.line)), ...hinted.values()];
}
