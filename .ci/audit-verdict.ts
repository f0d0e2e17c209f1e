// Reads `npm audit --json` output and decides: a report with high or critical findings fails; a report
// without passes; no report at all (the advisory endpoint unreachable, refused, or npm printing no JSON)
// means the audit did not run, said loudly, and fails only when the audit is required.
//   npm audit --omit=dev --audit-level=high --json | node .ci/audit-verdict.ts   ($SYNCPROOF_REQUIRE_AUDIT=1: required)

export interface AuditVerdict {
  /** 0 pass (or audit could not run and is not required), 1 fail. */
  readonly exitCode: 0 | 1;
  readonly lines: readonly string[];
}

type Counts = Record<'info' | 'low' | 'moderate' | 'high' | 'critical', number>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** npm's documented report (auditReportVersion 2, and v1 before it) carries metadata.vulnerabilities counts. */
function countsOf(report: unknown): Counts | undefined {
  if (!isObject(report) || !isObject(report.metadata) || !isObject(report.metadata.vulnerabilities)) return undefined;
  const raw = report.metadata.vulnerabilities;
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  for (const key of Object.keys(counts) as (keyof Counts)[]) {
    if (typeof raw[key] !== 'number') return undefined;
    counts[key] = raw[key];
  }
  return counts;
}

/** `name (severity)` for each high or critical package of a version 2 report. */
function findings(report: Record<string, unknown>): string[] {
  if (!isObject(report.vulnerabilities)) return [];
  return Object.entries(report.vulnerabilities).flatMap(([name, entry]) => {
    const severity = isObject(entry) ? entry.severity : undefined;
    return severity === 'high' || severity === 'critical' ? [`${name} (${severity})`] : [];
  });
}

/** Why there is no report: npm's error message, its error summary or code, or what was printed. */
function whyNoReport(text: string, parsed: unknown): string {
  if (isObject(parsed)) {
    const error = isObject(parsed.error) ? parsed.error : {};
    for (const candidate of [parsed.message, error.summary, error.code, parsed.code]) {
      if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
    }
    return `npm printed JSON that is not an audit report: ${text.trim().slice(0, 200)}`;
  }
  return text.trim() ? `npm printed no JSON: ${text.trim().slice(0, 200)}` : 'npm printed nothing';
}

export function auditVerdict(npmOutput: string, required: boolean): AuditVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(npmOutput);
  } catch {
    parsed = undefined;
  }
  const counts = countsOf(parsed);
  if (counts && isObject(parsed)) {
    const summary = `npm audit (production dependencies): ${counts.critical} critical, ${counts.high} high, ${counts.moderate} moderate, ${counts.low} low`;
    if (counts.high + counts.critical === 0) return { exitCode: 0, lines: [`${summary}: no high or critical finding`] };
    const names = findings(parsed);
    return { exitCode: 1, lines: [`${summary}: FAILED`, ...names.map((n) => `  ${n}`)] };
  }
  const why = whyNoReport(npmOutput, parsed);
  const banner = '!!! npm audit COULD NOT RUN: the dependencies were NOT checked for known vulnerabilities';
  return required
    ? { exitCode: 1, lines: [`${banner} (${why}); SYNCPROOF_REQUIRE_AUDIT=1, so this fails`] }
    : { exitCode: 0, lines: [`${banner} (${why}); not failing (set SYNCPROOF_REQUIRE_AUDIT=1 to fail)`] };
}

if (import.meta.main) {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const verdict = auditVerdict(Buffer.concat(chunks).toString('utf8'), process.env.SYNCPROOF_REQUIRE_AUDIT === '1');
  for (const line of verdict.lines) console.log(line);
  process.exitCode = verdict.exitCode;
}
