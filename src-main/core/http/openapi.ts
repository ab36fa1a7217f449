import { z } from 'zod';
import { ERROR_CODES } from '../contract/errors.js';
import { operations, OPERATION_NAMES } from '../contract/operations.js';
import { ChangeEventSchema } from '../contract/change-events.js';
import { EVENTS_PATH, eventsOpenApiPath } from './events-route.js';

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

/** Schemas with a zod meta id, hoisted out of each generated schema into `components.schemas`. */
type Defs = Record<string, unknown>;

/** `#/$defs/X` only resolves inside the generated schema; in the OpenAPI document it must point at components. */
function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof item === 'string' ? item.replace(/^#\/\$defs\//, '#/components/schemas/') : retarget(item);
  }
  return out;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', defs: Defs): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  const local = (out.$defs ?? {}) as Defs;
  delete out.$defs;
  for (const [id, def] of Object.entries(local)) defs[id] ??= retarget(def);
  return retarget(out) as Record<string, unknown>;
}

/** OpenAPI 3.1 for the native API, generated from the contract (never written by hand). */
export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const defs: Defs = {};
  for (const name of OPERATION_NAMES) {
    const op = operations[name];
    if (!(op.transports ?? ['http', 'ipc']).includes('http')) continue;
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const input = jsonSchema(op.input, 'input', defs) as { properties?: Record<string, unknown>; required?: string[] };
    const properties = { ...(input.properties ?? {}) };
    for (const param of pathParams) delete properties[param];
    const required = (input.required ?? []).filter((r) => !pathParams.includes(r));
    const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
    const parameters: unknown[] = pathParams.map((param) => ({ name: param, in: 'path', required: true, schema: { type: 'string' } }));
    if (!hasBody) {
      for (const [key, schema] of Object.entries(properties))
        parameters.push({ name: key, in: 'query', required: required.includes(key), schema });
    }
    if (op.revisionField)
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        schema: { type: 'string' },
        description: 'The ETag (revision) you read; a stale write gets 412.',
      });
    const status = String(op.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: {
        description: op.streams
          ? 'NDJSON lines ({"type":"progress",...} then {"type":"result","result":...}); SSE with Accept: text/event-stream'
          : 'Success',
        content: {
          [op.streams ? 'application/x-ndjson' : 'application/json']: {
            schema: jsonSchema(op.output, 'output', defs),
            ...(op.example?.output !== undefined ? { example: op.example.output } : {}),
          },
        },
      },
    };
    for (const code of op.errors) {
      responses[String(ERROR_CODES[code])] = {
        description: code,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method.toLowerCase()] = {
      operationId: name,
      summary: op.summary,
      tags: [op.tag],
      ...(op.public ? { security: [] } : {}),
      parameters,
      ...(hasBody
        ? {
            requestBody: {
              required: required.length > 0,
              content: {
                'application/json': {
                  schema: { ...input, properties, required },
                  ...(op.example?.input !== undefined ? { example: op.example.input } : {}),
                },
              },
            },
          }
        : {}),
      responses,
    };
  }
  // The change feed is a stream, not a request/response operation: documented beside the contract's paths.
  // (ChangeEventSchema has a meta id, so generating it puts it under components.schemas.ChangeEvent.)
  jsonSchema(ChangeEventSchema, 'output', defs);
  paths[EVENTS_PATH] = eventsOpenApiPath();
  return {
    openapi: '3.1.0',
    info: {
      title: 'Provider Desk native API',
      version,
      description: 'Manage LLM providers and API keys kept by Provider Desk. Loopback only.',
    },
    servers: [{ url: 'http://127.0.0.1:3100' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token from <data-dir>/api-token or the GUI' } },
      schemas: { ...defs, Error: ErrorSchema },
    },
    paths,
  };
}
