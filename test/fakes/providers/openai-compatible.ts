/**
 * One OpenAI-dialect service, as a profile says it behaves: where its API lives, whether its model list needs the
 * key, how it says "wrong key", which rate-limit headers its inference answers carry, and any further routes
 * (key-info and balance endpoints). The profiles are in the modules next to this one.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { bearerOf, reply, startFakeServer, type FakeRequest, type FakeServer, type Reply } from './server.js';

export interface KeyState {
  presented: string;
  valid: boolean;
}

export interface OpenAiDialect {
  /** The API's path on the server ('/v1', '/openai/v1', '/api/v1'); the base URL a user types ends with it. */
  prefix: string;
  /** 'public': `GET {prefix}/models` answers 200 whatever key is sent, or none. */
  listing: 'key' | 'public';
  /** The list entries (OpenAI shape unless the service differs). */
  models: unknown[];
  /** Together (and some self-hosted servers) answer a bare array instead of `{object: "list", data}`. */
  bareArray?: boolean;
  /** The key as the service reads it: a Bearer token unless it says otherwise. */
  presented?(headers: IncomingHttpHeaders): string;
  /** The service's own answer to a key it does not know. */
  wrongKey(presented: string): Reply;
  /** Its answer when no key was sent (the wrong-key answer when not documented separately). */
  noKey?(): Reply;
  /** Rate-limit headers on inference answers. */
  rateHeaders?(): Record<string, string>;
  /** Routes beyond models and chat (key info, balance); undefined to fall through. */
  extra?(req: FakeRequest, key: KeyState): Reply | undefined;
  /** The service's 404 body. */
  notFound?(): Reply;
}

export interface DialectOptions {
  keys: string[];
  /** Replaces the profile's rate-limit headers (to test other figures). */
  responseHeaders?: Record<string, string>;
}

/** A masked echo of a key, as services put it in error messages ("sk-te***alid"). */
export function masked(key: string): string {
  return key.length > 8 ? `${key.slice(0, 5)}***${key.slice(-4)}` : '***';
}

export function chatCompletion(model: string): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'length' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

export function openAiModel(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, object: 'model', created: 1_700_000_000, owned_by: id.includes('/') ? id.split('/')[0] : 'system', ...extra };
}

export async function startOpenAiDialect(profile: OpenAiDialect, options: DialectOptions): Promise<FakeServer> {
  const presentedOf = profile.presented ?? ((headers: IncomingHttpHeaders) => bearerOf(headers));
  const rate = () => options.responseHeaders ?? profile.rateHeaders?.() ?? {};
  return startFakeServer({
    route(req) {
      const presented = presentedOf(req.headers);
      const key: KeyState = { presented, valid: options.keys.includes(presented) };
      const refuse = (): Reply => (presented ? profile.wrongKey(presented) : (profile.noKey ?? profile.wrongKey)(''));
      const extra = profile.extra?.(req, key);
      if (extra) return extra;
      if (req.method === 'GET' && req.path === `${profile.prefix}/models`) {
        if (profile.listing === 'key' && !key.valid) return refuse();
        return reply(200, profile.bareArray ? profile.models : { object: 'list', data: profile.models });
      }
      if (req.method === 'POST' && req.path === `${profile.prefix}/chat/completions`) {
        if (!key.valid) return refuse();
        const model = typeof req.json.model === 'string' ? req.json.model : 'unknown';
        return reply(200, chatCompletion(model), rate());
      }
      return (
        profile.notFound?.() ??
        reply(404, { error: { message: `Unknown request URL: ${req.method} ${req.path}`, type: 'invalid_request_error' } })
      );
    },
  });
}
