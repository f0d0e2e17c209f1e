// Which files a --config PATH means: the file itself, or every *.yaml/*.yml directly in a directory.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { configError, fileStart } from './errors.ts';
import { reason } from './interpolate.ts';
import type { ConfigError } from './types.ts';

const SUITE_FILE = /\.ya?ml$/;

export interface SuiteFile {
  /** The file as the user named it: PATH, or PATH/NAME for a directory's file (never the ..data target). */
  readonly file: string;
  readonly text: string;
}

/**
 * In name order, skipping names that start with `.`; symlinks are followed, so a mounted ConfigMap's
 * `..data` and timestamped directories are not listed and each key appears once.
 */
export function readSuiteFiles(path: string): { files: SuiteFile[]; errors: ConfigError[] } {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    return { files: [], errors: [configError(fileStart(path), '', `cannot read the configuration: ${reason(error)}`)] };
  }
  if (!isDirectory) return readAll([path]);
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (error) {
    return { files: [], errors: [configError(fileStart(path), '', `cannot read the directory: ${reason(error)}`)] };
  }
  const candidates = names
    .filter((name) => SUITE_FILE.test(name) && !name.startsWith('.'))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => !isDirectoryQuietly(file));
  if (candidates.length === 0) {
    return { files: [], errors: [configError(fileStart(path), '', 'no *.yaml or *.yml files in this directory')] };
  }
  return readAll(candidates);
}

function readAll(paths: readonly string[]): { files: SuiteFile[]; errors: ConfigError[] } {
  const files: SuiteFile[] = [];
  const errors: ConfigError[] = [];
  for (const file of paths) {
    try {
      files.push({ file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      errors.push(configError(fileStart(file), '', `cannot read: ${reason(error)}`));
    }
  }
  return { files, errors };
}

/** A directory that happens to be named *.yaml is not a suite file; a dangling link is reported when read. */
function isDirectoryQuietly(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
