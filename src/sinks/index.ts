import type { SinkType } from './types.ts';
import { file } from './file.ts';
import { postgres } from './postgres.ts';
import { pushgateway } from './pushgateway.ts';
import { slack } from './slack.ts';
import { webhook } from './webhook.ts';

/** The closed registry of sink types, keyed by the suite file's `type`. */
export const sinkTypes: Readonly<Record<string, SinkType>> = { webhook, slack, postgres, file, pushgateway };
