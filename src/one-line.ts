// A server's or user's text on one line: messages, warnings and queries may span lines, a report line may not.

/** Runs of whitespace, line breaks included, as one space; `max` cuts it with an ellipsis. */
export function oneLine(text: string, max = Infinity): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
