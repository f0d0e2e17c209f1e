// Shared pieces for sink tests: a run record like the runner's, sink configs validated the way the
// config loader validates them, and a logger that keeps every line (unredacted) for inspection.
import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../../src/log.ts';
import type { SinkConfig, SinkWhen } from '../../src/suite.ts';
import type { ProbeRecord, RunRecord, RunVerdict } from '../../src/record/types.ts';
import { sinkTypes } from '../../src/sinks/index.ts';

function probe(name: string, verdict: ProbeRecord['verdict'], summary: string, severity: ProbeRecord['severity'] = 'critical'): ProbeRecord {
  return {
    name, type: 'postgres', target: 'postgres://monitor@orders-db:5432/orders', severity, verdict, attempts: 1, durationMs: 12,
    error: null, observed: { connected: true, replication: { lag: 47000 } }, assertions: [], summary,
  };
}

export function sampleRecord(verdict: RunVerdict = 'failed', extra: Partial<RunRecord> = {}): RunRecord {
  const probes = [
    probe('ingress', 'passed', '200 in 35ms'),
    probe('database connection', 'failed', 'timeout after 5s'),
    probe('replica lag', 'failed', 'replication.lag = 47s (expected < 10s)'),
    probe('cache warm', 'warned', 'value = 0 (expected > 100)', 'warning'),
    probe('reports api', 'skipped', 'skipped (after database connection failed)'),
  ];
  return {
    version: 1, id: randomUUID(), suite: 'orders',
    app: { name: 'orders', namespace: 'orders', project: 'default', revision: '3f2a9c1d0e5b7a8c9f00112233445566778899aa', repoURL: 'https://git.example.com/orders.git' },
    startedAt: '2026-11-26T10:00:00.000Z', finishedAt: '2026-11-26T10:00:31.200Z', durationMs: 31_200,
    verdict, abortReason: verdict === 'aborted' ? 'SIGTERM' : null,
    counts: { total: 5, passed: 1, failed: 2, warned: 1, skipped: 1 },
    probes, runner: { version: '0.1.0', pod: 'orders-syncproof-x7k2p' },
    ...extra,
  };
}

/** A sink as the config loader hands it over: `spec` parsed by the sink type's own schema. */
export function sinkConfig(type: string, spec: Record<string, unknown>, extra: { on?: SinkWhen; required?: boolean } = {}): SinkConfig {
  const sink = sinkTypes[type];
  if (!sink) throw new Error(`no sink type ${type}`);
  return {
    type, on: extra.on ?? sink.defaultOn, required: extra.required ?? false,
    spec: sink.spec.parse(spec) as Record<string, unknown>, at: { file: 'suite.yaml', line: 1, col: 1 },
  };
}

export interface MemoryLog {
  readonly log: Logger;
  readonly lines: string[];
}

/** Every line as written, with no redaction hook: what the sinks code itself puts in log lines. */
export function memoryLog(): MemoryLog {
  const lines: string[] = [];
  const log = createLogger('debug', (line) => void lines.push(line));
  return { log, lines };
}
