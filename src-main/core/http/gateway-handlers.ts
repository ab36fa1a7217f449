import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Desk } from '../desk.js';
import { modelNotFound, parseCompatBody, compatPlan, type CompatOperation } from '../gateway/openai-compat.js';
import type { ForwardPlan } from '../gateway/failover.js';
import { Gateway, type GatewayCaller } from '../gateway/gateway.js';
import { passthroughPlan } from '../gateway/passthrough.js';

function bodyOf(request: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}

/** The scoped token the auth hook accepted (null for the main token or a browser session). */
function callerOf(request: FastifyRequest): GatewayCaller {
  return request.gatewayToken ?? null;
}

/**
 * Sends a planned request and streams the provider's answer back as it arrives. The client hanging up (at any point:
 * while we wait, retry or stream) cancels the upstream request.
 */
async function answer(gateway: Gateway, request: FastifyRequest, reply: FastifyReply, plan: ForwardPlan): Promise<FastifyReply> {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  // The server's idle timeout is for clients that stall; here the wait is on the provider, bounded by its own timeout.
  request.raw.socket?.setTimeout(0);
  const result = await gateway.send(plan, callerOf(request), controller.signal);
  return reply.code(result.status).headers(result.headers).send(result.body);
}

export interface GatewayHandlers {
  proxy(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  models(request: FastifyRequest): { object: 'list'; data: unknown[] };
  model(request: FastifyRequest): unknown;
  compat(operation: CompatOperation, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  close(): Promise<void>;
}

/** The gateway's request handlers over one Gateway (its connection pools and credential caches). */
export function createGatewayHandlers(desk: Desk): GatewayHandlers {
  const gateway = new Gateway({ providers: desk.providers, health: desk.health, logger: desk.logger, usage: () => desk.usage });
  return {
    async proxy(request, reply) {
      const name = (request.params as { provider: string }).provider;
      const raw = request.raw.url ?? '/';
      const prefix = `/proxy/${name}`;
      const rest = raw.startsWith(prefix) ? raw.slice(prefix.length) : '/';
      const provider = gateway.provider(name, callerOf(request));
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
      const provider = gateway.provider(parsed.provider, callerOf(request));
      return answer(gateway, request, reply, compatPlan(provider, operation, parsed, request.headers, gateway.credentials));
    },
    close: () => gateway.close(),
  };
}
