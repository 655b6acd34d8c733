// The streams config (<home>/streams.yaml, `serve --streams FILE`, env STOREPULSE_STREAMS): which entity is fed from
// which stream. Credentials come from the environment (STOREPULSE_NATS_USER / _PASSWORD / _TOKEN), never the file.
import { join } from 'node:path';
import { ENTITIES, getEntity } from '../../contracts/index.js';
import type { JsonSchema } from '../../contracts/json-schema.js';
import { Errors } from '../../errors/catalogue.js';
import { configValidator } from '../../home/config-schema.js';
import { chooseConfigFile, locate, parseYaml, readConfigText } from '../../home/yaml-location.js';
import { parseDuration } from '../../ops/alerts/config.js';
import type { NatsSourceConfig } from './nats-source.js';

export interface StreamsConfig {
  file: string;
  sources: (NatsSourceConfig & { kind: 'nats'; batch: number; lingerMs: number })[];
}

const DURATION = { type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$', 'x-expected': 'a duration such as 200ms, 30s or 5m' };

export function streamsJsonSchema(): JsonSchema {
  const source = {
    type: 'object',
    additionalProperties: false,
    required: ['stream'],
    properties: {
      kind: { enum: ['nats'], description: 'The broker (nats: NATS JetStream).' },
      stream: { type: 'string', minLength: 1, description: 'The JetStream stream.' },
      subjects: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 } }], description: 'Subjects of the stream to take (default: all of it).' },
      durable: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', 'x-expected': 'a consumer name (letters, digits, _ and -)', description: 'Durable consumer name (default storepulse-<entity>); it remembers what was acknowledged.' },
      batch: { type: 'integer', minimum: 1, maximum: 100_000, description: 'Most messages per bronze batch (default 500).' },
      linger: { ...DURATION, description: 'How long a batch may wait to fill once its first message is there (default 100ms).' },
      ack_wait: { ...DURATION, description: 'Redelivery of a message not acknowledged within this (default 30s).' },
    },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'StorePulse stream sources',
    type: 'object',
    additionalProperties: false,
    required: ['sources'],
    properties: {
      nats: {
        type: 'object', additionalProperties: false,
        properties: { servers: { oneOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }] } },
      },
      sources: { type: 'object', minProperties: 1, additionalProperties: false, properties: Object.fromEntries(ENTITIES.map((e) => [e.name, source])) },
    },
  };
}

const validate = configValidator(streamsJsonSchema, {
  unknownKey: (path) => (path.length === 1 && path[0] === 'sources' ? ` (not an entity; expected one of ${ENTITIES.map((e) => e.name).join(', ')})` : ''),
});

interface RawSource { kind?: 'nats'; stream: string; subjects?: string | string[]; durable?: string; batch?: number; linger?: string; ack_wait?: string }

export function parseStreamsConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): StreamsConfig {
  const { doc, lines, syntaxError } = parseYaml(text);
  if (syntaxError) throw Errors.badStreamsConfig(file, `line ${syntaxError.line}`, `not valid YAML or JSON (${syntaxError.message})`);
  const raw: unknown = doc.toJS();
  const invalid = validate(raw);
  if (invalid) throw Errors.badStreamsConfig(file, locate(doc, lines, invalid.path), invalid.problem);
  const c = raw as { nats?: { servers?: string | string[] }; sources: Record<string, RawSource> };
  const servers = env.STOREPULSE_NATS_URL ? [env.STOREPULSE_NATS_URL] : [c.nats?.servers ?? 'nats://127.0.0.1:4222'].flat();
  const sources = Object.entries(c.sources).map(([entity, s]) => {
    const batch = s.batch ?? 500;
    return {
      kind: 'nats' as const, entity: getEntity(entity)!.name, servers, stream: s.stream,
      subjects: s.subjects === undefined ? [] : [s.subjects].flat(), durable: s.durable ?? `storepulse-${entity.replace(/_/g, '-')}`,
      batch, lingerMs: parseDuration(s.linger ?? '100ms')!, ackWaitMs: parseDuration(s.ack_wait ?? '30s')!,
      // Two batches in flight at most: one landing, one filling.
      maxAckPending: 2 * batch,
      user: env.STOREPULSE_NATS_USER || undefined, pass: env.STOREPULSE_NATS_PASSWORD || undefined, token: env.STOREPULSE_NATS_TOKEN || undefined,
    };
  });
  return { file, sources };
}

export function loadStreamsConfig(file: string, env: NodeJS.ProcessEnv = process.env): StreamsConfig {
  return parseStreamsConfig(readConfigText(file, (problem) => Errors.badStreamsConfig(file, '', problem)), file, env);
}

export function resolveStreamsConfigPath(home: string, named: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  return chooseConfigFile(named, env.STOREPULSE_STREAMS, join(home, 'streams.yaml'));
}
