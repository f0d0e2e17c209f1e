// Which files a --config PATH means: the file itself, or every *.yaml/*.yml directly in a directory.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { configError, fileStart } from './errors.ts';
import { errorReason } from '../error-words.ts';
import type { ConfigError } from '../suite.ts';
import { fileProblem, readRegularFileSync } from '../regular-file.ts';

const SUITE_FILE = /\.ya?ml$/;

/**
 * A ConfigMap holds at most 1 MiB, so no real suite is larger. Reading more would let one stray file
 * (or `--config /dev/zero`) take gigabytes: a YAML tree costs many times its text, and a large one kills the process.
 */
export const MAX_SUITE_BYTES = 1024 * 1024;

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
    return { files: [], errors: [configError(fileStart(path), '', `cannot read the configuration: ${errorReason(error)}`)] };
  }
  if (!isDirectory) return readAll([path]);
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (error) {
    return { files: [], errors: [configError(fileStart(path), '', `cannot read the directory: ${errorReason(error)}`)] };
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
  let total = 0;
  for (const file of paths) {
    try {
      // A FIFO named *.yaml would block the read (and the process) forever: only regular files are read.
      const read = readRegularFileSync(file, MAX_SUITE_BYTES - total);
      if (!read.ok && read.problem === 'too large') {
        const what = paths.length === 1 ? 'the file is' : 'the suite files are';
        errors.push(configError(fileStart(file), '', `${what} larger than 1 MiB (a ConfigMap's limit); split the suite or remove what is not a suite`));
        break;
      }
      if (!read.ok) {
        errors.push(configError(fileStart(file), '', `cannot read: ${fileProblem(read, MAX_SUITE_BYTES)}`));
        continue;
      }
      total += read.bytes.length;
      files.push({ file, text: read.bytes.toString('utf8') });
    } catch (error) {
      errors.push(configError(fileStart(file), '', `cannot read: ${errorReason(error)}`));
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
