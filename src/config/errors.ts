// Configuration errors as users read them: `FILE:LINE:COL  dotted.path  message`, all at once.
import { sortConfigErrors, type ConfigError, type SourcePosition } from '../suite.ts';

export function configError(at: SourcePosition, path: string, message: string): ConfigError {
  return { at, path, message };
}

/** Where a whole file is meant (it is missing, unreadable, empty). */
export function fileStart(file: string): SourcePosition {
  return { file, line: 1, col: 1 };
}

/** One line per error, sorted by file, line and column; the path is left out when it is the document. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return sortConfigErrors(errors)
    .map((e) => {
      const where = `${e.at.file}:${e.at.line}:${e.at.col}`;
      return e.path === '' ? `${where}  ${e.message}` : `${where}  ${e.path}  ${e.message}`;
    })
    .join('\n');
}
