import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpDeps } from './deps.js';
import { modelDisabled, modelNotFound, parseCompatBody, compatPlan, type CompatOperation } from '../gateway/openai-compat.js';
import type { ForwardPlan } from '../gateway/failover.js';
import { upstreamFailed } from '../gateway/errors.js';
import { Gateway, type GatewayCaller } from '../gateway/gateway.js';
import { passthroughPlan } from '../gateway/passthrough.js';

function bodyOf(request: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}

/** The scoped token the auth hook accepted (null for the main token or a browser session). */
function callerOf(request: FastifyRequest): GatewayCaller {
  return request.gatewayToken ?? null;
}

/** What server.ts's onSend hook puts on every answer; the gateway writes its answers itself, so it adds them here. */
const ALWAYS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

/**
 * Sends a planned request and streams the provider's answer back as it arrives. The client hanging up (at any point:
 * while we wait, retry or stream) cancels the upstream request. The answer is written on the raw response (the reply
 * is hijacked once the provider answered), skipping Fastify's stream handling and onSend hooks: with the direct relay
 * of stream.ts, requests/s vs a bare undici passthrough went from 0.6 to 0.85 (`npm run bench -- --only gateway`).
 * Failures before that still go through the gateway's error handler; onResponse (the request log) still runs.
 */
async function answer(gateway: Gateway, request: FastifyRequest, reply: FastifyReply, plan: ForwardPlan): Promise<FastifyReply> {
  const controller = new AbortController();
  const raw = reply.raw;
  raw.once('close', () => {
    if (!raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  // The server's idle timeout is for clients that stall; here the wait is on the provider, bounded by its own timeout.
  request.raw.socket?.setTimeout(0);
  const result = await gateway.send(plan, callerOf(request), controller.signal);
  if (raw.destroyed) {
    result.discard();
    return reply.hijack();
  }
  try {
    // Headers set earlier for this request (CORS), then the provider's, then ours, as reply.send would merge them.
    const headers: OutgoingHttpHeaders = { ...(reply.getHeaders() as OutgoingHttpHeaders), ...result.headers, ...ALWAYS };
    raw.writeHead(result.status, headers);
  } catch {
    // A header value Node refuses to send (invalid characters from the provider): nothing went out yet.
    result.discard();
    throw upstreamFailed('invalid_response', `Provider "${plan.provider.row.name}" answered with headers that cannot be forwarded`);
  }
  reply.hijack();
  result.relay(raw);
  return reply;
}

export interface GatewayHandlers {
  proxy(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  models(request: FastifyRequest): { object: 'list'; data: unknown[] };
  model(request: FastifyRequest): unknown;
  compat(operation: CompatOperation, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  close(): Promise<void>;
}

/** What the gateway's handlers use. */
export type GatewayRouteDeps = Pick<HttpDeps, 'providers' | 'health' | 'logger' | 'usage'>;

/** The gateway's request handlers over one Gateway (its connection pools and credential caches). */
export function createGatewayHandlers(deps: GatewayRouteDeps): GatewayHandlers {
  const gateway = new Gateway({ providers: deps.providers, health: deps.health, logger: deps.logger, usage: () => deps.usage });
  return {
    async proxy(request, reply) {
      const name = (request.params as { provider: string }).provider;
      const raw = request.raw.url ?? '/';
      const prefix = `/proxy/${name}`;
      const rest = raw.startsWith(prefix) ? raw.slice(prefix.length) : '/';
      const provider = gateway.provider(name, callerOf(request), request.storeVersion);
      const plan = passthroughPlan(
        provider,
        { method: request.method, rest, headers: request.headers, body: bodyOf(request) },
        gateway.credentials,
      );
      return answer(gateway, request, reply, plan);
    },
    models: (request) => ({ object: 'list', data: gateway.models(callerOf(request)) }),
    model(request) {
      const id = (request.params as { '*': string })['*'];
      const found = gateway.models(callerOf(request)).find((model) => model.id === id);
      if (!found) throw modelNotFound(id);
      return found;
    },
    async compat(operation, request, reply) {
      const parsed = parseCompatBody(bodyOf(request), request.headers);
      const provider = gateway.provider(parsed.provider, callerOf(request), request.storeVersion);
      if (gateway.directory.modelDisabled(provider, parsed.model)) throw modelDisabled(`${parsed.provider}/${parsed.model}`);
      return answer(gateway, request, reply, compatPlan(provider, operation, parsed, request.headers, gateway.credentials));
    },
    close: () => gateway.close(),
  };
}
