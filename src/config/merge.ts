// Keys that several files may each set, to the same value only (`suite`, `concurrency`, `deadline`, `defaults.*`).
import { configError } from './errors.ts';
import type { ConfigError, SourcePosition } from '../suite.ts';

interface Setting {
  readonly value: unknown;
  readonly at: SourcePosition;
}

export class MergedKeys {
  readonly #settings = new Map<string, Setting>();

  /** Records a key's value; a different value than an earlier file's is an error here, at the second place. */
  set(path: string, value: unknown, at: SourcePosition): ConfigError | undefined {
    const first = this.#settings.get(path);
    if (first === undefined) {
      this.#settings.set(path, { value, at });
      return undefined;
    }
    if (JSON.stringify(first.value) === JSON.stringify(value)) return undefined;
    const where = `${first.at.file}:${first.at.line}:${first.at.col}`;
    return configError(at, path, `conflicts with the different value at ${where} (a key set in several files must have the same value)`);
  }

  get(path: string): unknown {
    return this.#settings.get(path)?.value;
  }

  /** Where the value was first written; undefined when no file sets the key. */
  at(path: string): SourcePosition | undefined {
    return this.#settings.get(path)?.at;
  }
}
