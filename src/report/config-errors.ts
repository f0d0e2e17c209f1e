// A suite that does not load, as CI pipelines read it: a JSON document (`--output json`) and a JUnit file with
// one failed testcase per error (`--junit`).
import { sortConfigErrors, type ConfigError } from '../suite.ts';
import { redact, redactDeep } from '../secrets.ts';
import { escapeXml } from './junit.ts';

/** One error as a CI pipeline reads it; an error with no place in a file (`--only`) has null there. */
export interface ConfigErrorJson {
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly path: string;
  readonly message: string;
}

export function configErrorsJson(errors: readonly ConfigError[]): ConfigErrorJson[] {
  return sortConfigErrors(errors).map((e) => ({ file: e.at.file, line: e.at.line, col: e.at.col, path: e.path, message: e.message }));
}

/** `--output json` for a suite that does not load: `{"valid": false, "errors": [...]}`. */
export function renderErrorsJson(errors: readonly ConfigErrorJson[]): string {
  return JSON.stringify(redactDeep({ valid: false, errors }), null, 2) + '\n';
}

/** `--junit FILE` for a suite that does not load: one failed testcase per error, so CI shows each. */
export function renderErrorsJunit(errors: readonly ConfigErrorJson[]): string {
  const attrs = `tests="${errors.length}" failures="${errors.length}" skipped="0" time="0.000"`;
  const cases = errors.map((e) => {
    const where = e.file === null ? e.path : `${e.file}:${e.line}:${e.col}${e.path ? `  ${e.path}` : ''}`;
    return `    <testcase name="${escapeXml(where)}" classname="syncproof.configuration" time="0.000">\n      <failure message="${escapeXml(e.message)}" type="configuration-error">${escapeXml(`${where}  ${e.message}`)}</failure>\n    </testcase>`;
  });
  return redact([
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="syncproof" ${attrs}>`,
    `  <testsuite name="configuration" ${attrs}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n')) + '\n';
}
