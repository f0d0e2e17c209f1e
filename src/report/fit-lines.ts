/**
 * Whole lines whose total `size` (each with its newline) stays within `limit`, the rest counted in a
 * last line `… N more`: the termination message counts bytes, Slack's sections characters.
 */
export function fitLines(lines: readonly string[], limit: number, size: (text: string) => number = Buffer.byteLength): string {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const more = `… ${lines.length - i} more`;
    const cost = size(line) + 1;
    if (used + cost + size(more) + 1 > limit) {
      out.push(more);
      return out.join('\n');
    }
    out.push(line);
    used += cost;
  }
  return out.join('\n');
}
