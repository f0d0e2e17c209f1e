// Field kinds shaped like the real probe types', for assertion tests.
import type { FieldKinds } from '../../src/probes/types.ts';

export const HTTP: FieldKinds = {
  status: 'number', headers: 'any', body: 'string', json: 'any', tls: 'object',
  'tls.authorized': 'boolean', 'tls.expiresIn': 'duration', 'tls.issuer': 'string', 'tls.subject': 'string',
};

export const DNS: FieldKinds = { rcode: 'string', records: 'list' };

/** `replication` is only implied by its dotted children, as a data-layer probe may declare it. */
export const POSTGRES: FieldKinds = {
  connected: 'boolean', version: 'string', role: 'string', readOnly: 'boolean', writable: 'boolean',
  'replication.lag': 'duration', 'replication.replicas': 'number', rows: 'any', row: 'any', value: 'any', rowCount: 'number',
};
