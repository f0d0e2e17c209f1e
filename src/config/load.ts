// `--config PATH` to a validated, frozen suite, or every configuration error at once.
import { configError } from './errors.ts';
import { readSuiteFiles } from './read.ts';
import { deepFreeze } from './freeze.ts';
import { describeInput } from '../spec-parts.ts';
import { assembleSuite, type SuiteDocument } from './build.ts';
import { withProbeNames } from './named-paths.ts';
import { toPlain } from './tree.ts';
import { sortConfigErrors, type ConfigError, type LoadResult } from '../suite.ts';
import { parsePlainYamlFile, parseYamlFile, type ParseOptions, type YamlPackage } from './yaml.ts';

export async function loadSuite(path: string, env: NodeJS.ProcessEnv = process.env, options: ParseOptions = {}): Promise<LoadResult> {
  const { files, errors } = readSuiteFiles(path);
  const all: ConfigError[] = [...errors];
  const documents: SuiteDocument[] = [];
  const warnings: ConfigError[] = [];
  // Loaded only when a file is not in the plain subset: ~260 KB that a plain suite never needs.
  let yaml: YamlPackage | undefined;
  for (const { file, text } of files) {
    const parsed = parsePlainYamlFile(file, text, env, options) ?? parseYamlFile(yaml ??= await import('yaml'), file, text, env, options);
    all.push(...parsed.errors);
    warnings.push(...(parsed.warnings ?? []));
    if (parsed.root === undefined) continue;
    if (parsed.root.kind !== 'map') {
      const what = parsed.root.kind === 'scalar' && parsed.root.value === null ? 'nothing' : describeInput(toPlain(parsed.root));
      all.push(configError(parsed.root.at, '', `a suite file must be a mapping with probes (and suite, defaults, sinks…), got ${what}`));
      continue;
    }
    documents.push({ file, root: parsed.root });
  }
  // Files that could not be read or parsed still leave the others checked, so every error shows at once.
  const assembled = assembleSuite(documents, env, documents.length === files.length && errors.length === 0, options.offline);
  all.push(...assembled.errors);
  if (all.length > 0 || assembled.suite === undefined) return { ok: false, errors: deepFreeze(sortConfigErrors(withProbeNames(all, documents))) };
  return { ok: true, suite: deepFreeze(assembled.suite), warnings: deepFreeze(sortConfigErrors(withProbeNames(warnings, documents))) };
}
