// PATH of an assertion (docs/assertions.md): `a.b`, `a[0]`, `a["odd key"]`, `a['odd key']`, `a.length`.
import type { PathSegment } from './ast.ts';
import { done, fail, readQuoted, skipSpaces, wordAt, type Step } from './scan.ts';

export interface LocatedSegment {
  readonly segment: PathSegment;
  readonly offset: number;
}

const FIRST_NAME = /[A-Za-z_][\w-]*/y;
const NAME = /[\w-]+/y;
const INDEX = /\d+/y;

function match(pattern: RegExp, text: string, from: number): string | undefined {
  pattern.lastIndex = from;
  return pattern.exec(text)?.[0];
}

export function parsePath(text: string, from: number): Step<readonly LocatedSegment[]> {
  const first = match(FIRST_NAME, text, from);
  if (first === undefined) {
    const found = wordAt(text, from);
    return fail(`expected a field name at the start, e.g. "status" or "json.items[0].id", found "${found}"`, from);
  }
  const segments: LocatedSegment[] = [{ segment: { key: first }, offset: from }];
  let i = from + first.length;
  while (text[i] === '.' || text[i] === '[') {
    const step = text[i] === '.' ? parseDotted(text, i) : parseBracket(text, i);
    if (!step.ok) return step;
    segments.push({ segment: step.value, offset: i });
    i = step.end;
  }
  return done(segments, i);
}

function parseDotted(text: string, dot: number): Step<PathSegment> {
  const name = match(NAME, text, dot + 1);
  if (name === undefined) {
    return fail('expected a name after "."; for other keys write ["odd key"]', dot + 1);
  }
  return done({ key: name }, dot + 1 + name.length);
}

function parseBracket(text: string, open: number): Step<PathSegment> {
  const start = skipSpaces(text, open + 1);
  let segment: PathSegment;
  let i: number;
  const index = match(INDEX, text, start);
  if (index !== undefined) {
    segment = { index: Number(index) };
    i = start + index.length;
  } else if (text[start] === '"' || text[start] === "'") {
    const key = readQuoted(text, start);
    if (!key.ok) return key;
    segment = { key: key.value };
    i = key.end;
  } else {
    return fail('expected an index like [0] or a quoted key like ["content-type"] inside [ ]', start);
  }
  i = skipSpaces(text, i);
  if (text[i] !== ']') {
    return i >= text.length ? fail('unterminated [ in the path: add the closing ]', open) : fail(`expected "]", found "${text[i]}"`, i);
  }
  return done(segment, i + 1);
}
