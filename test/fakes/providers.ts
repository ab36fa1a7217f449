/**
 * Fake LLM provider servers on 127.0.0.1 that answer like the real APIs (paths, auth headers, list shapes,
 * pagination, error bodies), for probe, HTTP, GUI tests and benchmarks. No network beyond loopback.
 *
 *   const fake = await startFakeProvider('anthropic', { keys: ['good'], pageSize: 2 });
 *   target.baseUrl = fake.baseUrl;            // what a user would type as the provider's base URL
 *   target.settings = { ...fake.settings };   // region / iam_url / endpoint … the family needs (may be {})
 *   … run probes …
 *   fake.requests                              // every request seen: method, path, query, headers, body
 *   await fake.close();
 *
 * Families: every ModelListFamily — openai, together, anthropic, gemini, azure, bedrock, vertex, cohere, ollama,
 * github, watsonx, elevenlabs, replicate, voyage, perplexity, runway, rits.
 *
 * Options (all optional):
 *   keys            valid keys (default ['test-key']); anything else gets the family's 401/400 "bad key" answer
 *   forbiddenKeys   keys answered 403 (permission denied)
 *   quotaKeys       keys answered "out of credit" (OpenAI 429 insufficient_quota, Anthropic 400 credit balance …)
 *   models          model ids to serve (default: a realistic handful per family); rawModels: exact list entries
 *   pageSize        max items per page for paginated families (anthropic, gemini, cohere, vertex, watsonx)
 *   failFirst       scripted answers for the first API requests (token exchanges excluded), in order:
 *                   a status (429, 503 …: the family's own error body) or { status, body?, headers?, drop? }
 *                   (drop: destroy the socket without answering)
 *   retryAfter      Retry-After header value sent with scripted 429/503 answers
 *   delayMs         delay before every answer (a benchmark of 200 providers answering in 200 ms: delayMs: 200)
 *   nonJson         answer the model list with a 200 HTML page
 *   echoKey         put the full presented key in auth error messages (a badly behaved upstream)
 *   tls             { key, cert } to serve HTTPS (see ./certs.ts)
 *   deploymentsRetired  azure: answer 404 on the data-plane deployments list (as newer resources do)
 *   deployments     azure: { deploymentName: modelId } listed by /openai/deployments
 *   withdrawnModels watsonx: ids listed with a past "withdrawn" lifecycle stage
 *   aws             bedrock: credentials the fake accepts for SigV4 (default FAKE_AWS)
 *   projects        vertex/watsonx: projects the credentials may use (default ['fake-project']); others get the
 *                   service's 403 (Vertex CONSUMER_INVALID, watsonx "Failed to find the … member in project_id")
 *   spaces          watsonx: deployment spaces the key may use (default ['fake-space'])
 *   unlinkedProjects watsonx: projects not associated with a watsonx.ai Runtime (403 no_associated_service_instance_error)
 *
 * Other exports: FAKE_AWS (default Bedrock credentials), rsaKeyPair() and makeServiceAccount(tokenUri, pem)
 * (e.g. a service account signed with a key the fake does not know), plus ./certs.ts, ./proxies.ts, ./http-server.ts.
 *
 * Extras on the returned object: serviceAccountJson (vertex: a key file whose token_uri is this fake),
 * aws (bedrock credentials), tokens (vertex/watsonx access tokens issued), keys, connections() (TCP connections accepted).
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';
import { importSPKI, jwtVerify } from 'jose';
import type { ModelListFamily } from '../../src-main/core/catalog/types.js';

export type FakeFamily = ModelListFamily;

export interface FakeFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Close the connection without answering. */
  drop?: boolean;
}

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

export const FAKE_AWS: AwsTestCredentials = {
  accessKeyId: 'AKIAFAKEEXAMPLE00001',
  secretAccessKey: 'fakeSecretAccessKey/EXAMPLE+0123456789abcd',
  region: 'us-east-1',
};

export interface FakeProviderOptions {
  keys?: string[];
  forbiddenKeys?: string[];
  quotaKeys?: string[];
  models?: string[];
  rawModels?: unknown[];
  pageSize?: number;
  failFirst?: Array<number | FakeFailure>;
  retryAfter?: string;
  delayMs?: number;
  nonJson?: boolean;
  echoKey?: boolean;
  tls?: { key: string; cert: string };
  deploymentsRetired?: boolean;
  deployments?: Record<string, string>;
  withdrawnModels?: string[];
  aws?: AwsTestCredentials;
  projects?: string[];
  spaces?: string[];
  unlinkedProjects?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeProvider {
  family: FakeFamily;
  /** http(s)://127.0.0.1:port */
  url: string;
  /** The base URL a user would configure for this family. */
  baseUrl: string;
  /** Settings the family needs to reach this fake (e.g. watsonx iam_url, bedrock region). */
  settings: Record<string, unknown>;
  keys: string[];
  requests: RecordedRequest[];
  /** Vertex: a service-account key file (JSON text) whose token_uri points at this fake. */
  serviceAccountJson: string | null;
  aws: AwsTestCredentials;
  /** Access tokens handed out by the fake's token endpoints (vertex, watsonx). */
  tokens: Set<string>;
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections(): number;
  /** Serves these model ids from now on (a provider retiring or adding models between two listings). */
  setModels(ids: string[]): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const DEFAULT_MODELS: Record<FakeFamily, string[]> = {
  openai: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small', 'whisper-1', 'dall-e-3'],
  together: ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'BAAI/bge-large-en-v1.5', 'black-forest-labs/FLUX.1-schnell'],
  anthropic: ['claude-sonnet-4-20250514', 'claude-3-5-haiku-20241022', 'claude-3-opus-20240229'],
  gemini: ['gemini-2.0-flash', 'gemini-1.5-pro', 'text-embedding-004'],
  azure: ['gpt-4o', 'text-embedding-3-large'],
  bedrock: ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'amazon.titan-text-express-v1', 'meta.llama3-8b-instruct-v1:0'],
  vertex: ['gemini-2.0-flash-001', 'gemini-1.5-pro-002', 'text-embedding-005', 'imagen-3.0-generate-002'],
  cohere: ['command-r-plus', 'embed-english-v3.0', 'rerank-english-v3.0'],
  ollama: ['llama3.2:latest', 'nomic-embed-text:latest', 'llava:7b'],
  github: ['openai/gpt-4.1', 'openai/text-embedding-3-large', 'meta/Llama-3.3-70B-Instruct'],
  watsonx: ['ibm/granite-3-8b-instruct', 'ibm/slate-125m-english-rtrvr', 'meta-llama/llama-3-3-70b-instruct'],
  elevenlabs: ['eleven_multilingual_v2', 'eleven_turbo_v2_5'],
  replicate: [],
  voyage: [],
  perplexity: [],
  runway: ['gen4_turbo', 'gen4_image'],
  rits: ['ibm-granite/granite-3.1-8b-instruct'],
};

const isEmbedding = (id: string) => /embed|bge|rtrvr|slate/i.test(id);

/** One list entry in the family's documented shape. */
function entryFor(family: FakeFamily, id: string, withdrawn: Set<string>): unknown {
  const embedding = isEmbedding(id);
  switch (family) {
    case 'openai':
    case 'rits':
      return { id, object: 'model', created: 1_700_000_000, owned_by: 'system' };
    case 'together':
      return {
        id,
        object: 'model',
        created: 1_700_000_000,
        type: embedding ? 'embedding' : /flux/i.test(id) ? 'image' : 'chat',
        display_name: id.split('/').pop(),
        organization: id.split('/')[0],
        context_length: 8192,
      };
    case 'anthropic':
      return { type: 'model', id, display_name: id.replace(/-\d{8}$/, ''), created_at: '2025-01-01T00:00:00Z' };
    case 'gemini':
      return {
        name: `models/${id}`,
        version: '001',
        displayName: id,
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 8192,
        supportedGenerationMethods: embedding ? ['embedContent'] : ['generateContent', 'countTokens'],
      };
    case 'azure':
      return {
        id,
        status: 'succeeded',
        capabilities: { chat_completion: !embedding, completion: false, embeddings: embedding, fine_tune: false, inference: true },
        lifecycle_status: 'generally-available',
        object: 'model',
        created_at: 1_700_000_000,
      };
    case 'bedrock':
      return {
        modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${id}`,
        modelId: id,
        modelName: id,
        providerName: id.split('.')[0],
        inputModalities: id.startsWith('anthropic.') ? ['TEXT', 'IMAGE'] : ['TEXT'],
        outputModalities: ['TEXT'],
        responseStreamingSupported: true,
        customizationsSupported: [],
        inferenceTypesSupported: ['ON_DEMAND'],
        modelLifecycle: { status: 'ACTIVE' },
      };
    case 'vertex':
      return {
        name: `publishers/google/models/${id}`,
        versionId: '001',
        openSourceCategory: 'PROPRIETARY',
        launchStage: 'GA',
        publisherModelTemplate: `projects/{project}/locations/{location}/publishers/google/models/${id}@001`,
      };
    case 'cohere': {
      const endpoints = /rerank/.test(id) ? ['rerank'] : embedding ? ['embed'] : ['chat', 'generate'];
      return {
        name: id,
        endpoints,
        finetuned: false,
        context_length: 128_000,
        tokenizer_url: '',
        default_endpoints: [],
        features: endpoints.includes('chat') ? ['tools', 'json_mode'] : [],
      };
    }
    case 'ollama':
      return {
        name: id,
        model: id,
        modified_at: '2025-01-01T00:00:00Z',
        size: 1_000_000,
        digest: 'sha256:0000',
        details: {
          format: 'gguf',
          family: embedding ? 'nomic-bert' : 'llama',
          families: /llava/.test(id) ? ['llama', 'clip'] : [embedding ? 'nomic-bert' : 'llama'],
          parameter_size: '8B',
          quantization_level: 'Q4_0',
        },
      };
    case 'github':
      return {
        id,
        name: id.split('/').pop(),
        publisher: id.split('/')[0],
        registry: 'azure-openai',
        summary: '',
        html_url: `https://github.com/marketplace/models/${id}`,
        version: '1',
        capabilities: embedding ? [] : ['streaming', 'tool-calling'],
        limits: { max_input_tokens: 131_072, max_output_tokens: 4096 },
        rate_limit_tier: 'high',
        supported_input_modalities: /gpt-4/.test(id) ? ['text', 'image'] : ['text'],
        supported_output_modalities: embedding ? ['embeddings'] : ['text'],
        tags: [],
      };
    case 'watsonx':
      return {
        model_id: id,
        label: id.split('/').pop(),
        provider: id.split('/')[0] === 'ibm' ? 'IBM' : 'Meta',
        source: 'Hugging Face',
        functions: embedding ? [{ id: 'embedding' }] : [{ id: 'text_generation' }, { id: 'text_chat' }],
        model_limits: { max_sequence_length: 8192 },
        lifecycle: withdrawn.has(id)
          ? [
              { id: 'available', start_date: '2023-01-01' },
              { id: 'deprecated', start_date: '2024-01-01' },
              { id: 'withdrawn', start_date: '2024-06-01' },
            ]
          : [{ id: 'available', start_date: '2024-01-01' }],
      };
    case 'elevenlabs':
      return {
        model_id: id,
        name: id,
        can_do_text_to_speech: true,
        can_do_voice_conversion: false,
        token_cost_factor: 1,
        languages: [{ language_id: 'en', name: 'English' }],
      };
    default:
      return { id };
  }
}

/** The key as a real provider would echo it: masked except the ends (or whole, with echoKey). */
function echo(key: string, whole: boolean): string {
  if (whole) return key;
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '****';
}

type ErrorKind = 'auth' | 'forbidden' | 'quota' | 'rate' | 'server' | 'notfound' | 'missing';

/** The family's own error body for a kind of failure. */
function errorReply(family: FakeFamily, kind: ErrorKind, presented: string, echoWhole: boolean, status?: number): Reply {
  const shown = echo(presented, echoWhole);
  const code = status ?? { auth: 401, forbidden: 403, quota: 429, rate: 429, server: 500, notfound: 404, missing: 401 }[kind];
  const text = {
    auth: `Incorrect API key provided: ${shown}.`,
    missing: 'You didn’t provide an API key.',
    forbidden: 'You do not have access to this resource.',
    quota: 'You exceeded your current quota, please check your plan and billing details.',
    rate: 'Rate limit reached for requests. Please try again in 1s.',
    server: 'The server had an error while processing your request. Sorry about that!',
    notfound: 'Not found',
  }[kind];
  switch (family) {
    case 'anthropic': {
      const type = {
        auth: 'authentication_error',
        missing: 'authentication_error',
        forbidden: 'permission_error',
        quota: 'invalid_request_error',
        rate: 'rate_limit_error',
        server: code === 529 ? 'overloaded_error' : 'api_error',
        notfound: 'not_found_error',
      }[kind];
      const message =
        kind === 'auth'
          ? `invalid x-api-key${echoWhole ? ` ${presented}` : ''}`
          : kind === 'quota'
            ? 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'
            : text;
      return { status: kind === 'quota' ? 400 : code, body: { type: 'error', error: { type, message } } };
    }
    case 'gemini':
    case 'vertex': {
      if (kind === 'auth' && family === 'gemini') {
        return {
          status: 400,
          body: {
            error: {
              code: 400,
              message: `API key not valid. Please pass a valid API key.${echoWhole ? ` (${presented})` : ''}`,
              status: 'INVALID_ARGUMENT',
              details: [
                {
                  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                  reason: 'API_KEY_INVALID',
                  domain: 'googleapis.com',
                  metadata: { service: 'generativelanguage.googleapis.com' },
                },
              ],
            },
          },
        };
      }
      const googleStatus = {
        auth: 'UNAUTHENTICATED',
        missing: 'UNAUTHENTICATED',
        forbidden: 'PERMISSION_DENIED',
        quota: 'RESOURCE_EXHAUSTED',
        rate: 'RESOURCE_EXHAUSTED',
        server: 'INTERNAL',
        notfound: 'NOT_FOUND',
      }[kind];
      const message =
        kind === 'rate'
          ? 'Resource has been exhausted (e.g. check quota).'
          : kind === 'auth' || kind === 'missing'
            ? 'Request had invalid authentication credentials. Expected OAuth 2 access token.'
            : text;
      return { status: code, body: { error: { code, message, status: googleStatus } } };
    }
    case 'azure':
      return {
        status: code,
        body: {
          error: {
            code: String(code),
            message:
              kind === 'auth'
                ? 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.'
                : kind === 'notfound'
                  ? 'Resource not found'
                  : text,
          },
        },
      };
    case 'bedrock': {
      const type = {
        auth: 'UnrecognizedClientException',
        missing: 'MissingAuthenticationTokenException',
        forbidden: 'AccessDeniedException',
        quota: 'ServiceQuotaExceededException',
        rate: 'ThrottlingException',
        server: 'InternalServerException',
        notfound: 'ResourceNotFoundException',
      }[kind];
      const message =
        kind === 'auth'
          ? 'The security token included in the request is invalid.'
          : kind === 'missing'
            ? 'Missing Authentication Token'
            : kind === 'rate'
              ? 'Too many requests, please wait before trying again.'
              : text;
      return {
        status: kind === 'auth' || kind === 'missing' ? 403 : code,
        body: { message },
        headers: { 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazon.coral.service/` },
      };
    }
    case 'cohere':
      return { status: code, body: { message: kind === 'auth' ? 'invalid api token' : text } };
    case 'github':
      return {
        status: code,
        body: { error: { code: kind === 'auth' ? 'unauthorized' : kind, message: kind === 'auth' ? 'Bad credentials' : text } },
      };
    case 'watsonx':
      return {
        status: code,
        body: {
          errors: [
            {
              code: kind === 'auth' ? 'authentication_token_not_valid' : kind,
              message: kind === 'auth' ? 'Failed to authenticate the request due to invalid token' : text,
            },
          ],
          trace: randomBytes(8).toString('hex'),
          status_code: code,
        },
      };
    case 'elevenlabs':
      return {
        status: code,
        body: { detail: { status: kind === 'auth' ? 'invalid_api_key' : kind, message: kind === 'auth' ? 'Invalid API key' : text } },
      };
    case 'replicate':
      return {
        status: code,
        body: {
          title: kind === 'auth' ? 'Unauthenticated' : 'Error',
          detail: kind === 'auth' ? 'You did not pass a valid authentication token' : text,
          status: code,
        },
      };
    case 'voyage':
      return { status: code, body: { detail: kind === 'auth' ? 'Provided API key is invalid.' : text } };
    case 'runway':
      return { status: code, body: { error: kind === 'auth' ? 'Invalid API key' : text } };
    default: {
      const type = {
        auth: 'invalid_request_error',
        missing: 'invalid_request_error',
        forbidden: 'permission_error',
        quota: 'insufficient_quota',
        rate: 'requests',
        server: 'server_error',
        notfound: 'invalid_request_error',
      }[kind];
      const errCode = {
        auth: 'invalid_api_key',
        missing: null,
        forbidden: null,
        quota: 'insufficient_quota',
        rate: 'rate_limit_exceeded',
        server: null,
        notfound: 'unknown_url',
      }[kind];
      return { status: code, body: { error: { message: text, type, param: null, code: errCode } } };
    }
  }
}

function page<T>(items: T[], start: number, size: number): { items: T[]; next: number | null } {
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? start + size : null };
}

const encodeToken = (n: number) => Buffer.from(`offset:${n}`).toString('base64url');
const decodeToken = (token: string | undefined) =>
  token ? Number(Buffer.from(token, 'base64url').toString().replace('offset:', '')) || 0 : 0;

function chatCompletion(model: string): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'length' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearerOf(headers: IncomingHttpHeaders): string {
  const auth = headers.authorization ?? '';
  return /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
}

/** A service-account key file for the fake's token endpoint. */
export function makeServiceAccount(
  tokenUri: string,
  privateKeyPem: string,
  clientEmail = 'probe@fake-project.iam.gserviceaccount.com',
): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'fake-project',
    private_key_id: createHash('sha1').update(privateKeyPem).digest('hex'),
    private_key: privateKeyPem,
    client_email: clientEmail,
    client_id: '1234567890',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
  });
}

/** A fresh RSA key pair (PEM) for service accounts. */
export function rsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Recomputes the SigV4 signature over the headers the client says it signed; null when it matches. */
function sigV4Problem(req: IncomingMessage, creds: AwsTestCredentials): 'missing' | 'auth' | 'signature' | null {
  const header = req.headers.authorization ?? '';
  if (!header) return 'missing';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!match) return 'signature';
  const [, accessKeyId, , region, service, signedHeaders] = match;
  if (accessKeyId !== creds.accessKeyId) return 'auth';
  if (region !== creds.region || service !== 'bedrock') return 'signature';
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders ?? '').split(';')) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const expected = aws4.sign({ host: req.headers.host, path: req.url, method: req.method, service: 'bedrock', region, headers }, creds);
  return expected.headers?.Authorization === header ? null : 'signature';
}

export async function startFakeProvider(family: FakeFamily, options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const keys = options.keys ?? ['test-key'];
  const forbidden = new Set(options.forbiddenKeys ?? []);
  const quota = new Set(options.quotaKeys ?? []);
  const withdrawn = new Set(options.withdrawnModels ?? []);
  const aws = options.aws ?? FAKE_AWS;
  const ids = options.models ?? [...DEFAULT_MODELS[family], ...(options.withdrawnModels ?? [])];
  const models: unknown[] = options.rawModels ?? ids.map((id) => entryFor(family, id, withdrawn));
  const scripted = [...(options.failFirst ?? [])];
  const requests: RecordedRequest[] = [];
  const tokens = new Set<string>();
  const echoWhole = options.echoKey === true;
  let url = '';

  const account = family === 'vertex' ? rsaKeyPair() : null;
  const vertexKey = account ? await importSPKI(account.publicKeyPem, 'RS256') : null;
  let serviceAccountJson: string | null = null;

  /** Which key the request presents, in the family's own way. */
  const presentedKey = (req: IncomingMessage): string => {
    const h = req.headers;
    switch (family) {
      case 'anthropic':
        return String(h['x-api-key'] ?? '');
      case 'gemini':
        return String(h['x-goog-api-key'] ?? '');
      case 'azure':
        return String(h['api-key'] ?? '');
      case 'elevenlabs':
        return String(h['xi-api-key'] ?? '');
      case 'rits':
        return String(h['rits_api_key'] ?? '');
      default:
        return bearerOf(h);
    }
  };

  /** null when the caller may proceed, else the family's error answer. */
  const authorize = (req: IncomingMessage): Reply | null => {
    if (family === 'ollama') return null;
    if (family === 'vertex' || family === 'watsonx') {
      const token = bearerOf(req.headers);
      return tokens.has(token) ? null : errorReply(family, token ? 'auth' : 'missing', token, false);
    }
    if (family === 'bedrock' && !/^Bearer /i.test(req.headers.authorization ?? '')) {
      const problem = sigV4Problem(req, aws);
      if (problem === 'signature') {
        return {
          status: 403,
          body: {
            message:
              'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
          },
          headers: { 'x-amzn-ErrorType': 'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/' },
        };
      }
      return problem ? errorReply(family, problem, '', false) : null;
    }
    const key = presentedKey(req);
    if (!key) return errorReply(family, 'missing', '', false);
    if (forbidden.has(key)) return errorReply(family, 'forbidden', key, echoWhole);
    if (quota.has(key)) return errorReply(family, 'quota', key, echoWhole);
    if (!keys.includes(key)) return errorReply(family, 'auth', key, echoWhole);
    return null;
  };

  const html: Reply = {
    status: 200,
    body: '<!doctype html><html><body>Welcome to our website</body></html>',
    headers: { 'content-type': 'text/html' },
  };

  const route = async (req: IncomingMessage, path: string, query: URLSearchParams, body: string): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const listing = (items: unknown) => (options.nonJson ? html : { status: 200, body: items });

    // Token exchanges (never scripted, never key-checked by authorize()).
    if (family === 'vertex' && method === 'POST' && path === '/token') {
      const form = new URLSearchParams(body);
      const fail = (description: string): Reply => ({ status: 400, body: { error: 'invalid_grant', error_description: description } });
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
      try {
        const { payload } = await jwtVerify(form.get('assertion') ?? '', vertexKey as CryptoKey, {
          audience: `${url}/token`,
          issuer: 'probe@fake-project.iam.gserviceaccount.com',
          algorithms: ['RS256'],
        });
        if (!String(payload.scope ?? '').includes('https://www.googleapis.com/auth/cloud-platform')) return fail('Invalid scope');
      } catch {
        return fail('Invalid JWT Signature.');
      }
      const token = `ya29.fake-${randomBytes(12).toString('hex')}`;
      tokens.add(token);
      return { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    }
    if (family === 'watsonx' && method === 'POST' && path === '/identity/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'urn:ibm:params:oauth:grant-type:apikey')
        return {
          status: 400,
          body: { errorCode: 'BXNIM0109E', errorMessage: 'Property missing or empty. Property name: grant_type', context: {} },
        };
      const apikey = form.get('apikey') ?? '';
      if (!keys.includes(apikey))
        return {
          status: 400,
          body: {
            errorCode: 'BXNIM0415E',
            errorMessage: 'Provided API key could not be found.',
            context: { requestId: randomBytes(8).toString('hex') },
          },
        };
      const token = `iam-${randomBytes(12).toString('hex')}`;
      tokens.add(token);
      return {
        status: 200,
        body: {
          access_token: token,
          refresh_token: 'not_supported',
          token_type: 'Bearer',
          expires_in: 3600,
          expiration: Math.floor(Date.now() / 1000) + 3600,
          scope: 'ibm openid',
        },
      };
    }

    const next = scripted.shift();
    if (next !== undefined) {
      const failure: FakeFailure = typeof next === 'number' ? { status: next } : next;
      if (failure.drop) return { status: -1, body: null };
      const kind: ErrorKind =
        failure.status === 429
          ? 'rate'
          : failure.status >= 500
            ? 'server'
            : failure.status === 404
              ? 'notfound'
              : failure.status === 403
                ? 'forbidden'
                : 'auth';
      const reply =
        failure.body !== undefined ? { status: failure.status, body: failure.body } : errorReply(family, kind, '', false, failure.status);
      const retryAfter: Record<string, string> =
        options.retryAfter && (failure.status === 429 || failure.status === 503) ? { 'retry-after': options.retryAfter } : {};
      return { ...reply, headers: { ...reply.headers, ...retryAfter, ...failure.headers } };
    }

    const notFound = (): Reply => errorReply(family, 'notfound', '', false);
    const denied = authorize(req);

    switch (family) {
      case 'openai':
      case 'rits':
      case 'together':
        if (method === 'GET' && path === '/v1/models')
          return denied ?? listing(family === 'together' ? models : { object: 'list', data: models });
        if (method === 'POST' && path === '/v1/chat/completions') {
          if (denied) return denied;
          const model = safeJson(body).model;
          // OpenAI answers a model it does not serve with 404 model_not_found (before counting tokens).
          if (family === 'openai' && typeof model === 'string' && !servesModel(model))
            return {
              status: 404,
              body: {
                error: {
                  message: `The model \`${model}\` does not exist or you do not have access to it.`,
                  type: 'invalid_request_error',
                  param: null,
                  code: 'model_not_found',
                },
              },
            };
          return chatReply(body);
        }
        return notFound();
      case 'anthropic': {
        if (!req.headers['anthropic-version'])
          return {
            status: 400,
            body: { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } },
          };
        if (method === 'GET' && path === '/v1/models') {
          if (denied) return denied;
          const all = models as Array<{ id: string }>;
          const after = query.get('after_id');
          const start = after ? all.findIndex((m) => m.id === after) + 1 : 0;
          const size = Math.min(Number(query.get('limit') ?? 20), options.pageSize ?? 1000);
          const p = page(all, start, size);
          return listing({
            data: p.items,
            has_more: p.next !== null,
            first_id: p.items[0]?.id ?? null,
            last_id: p.items.at(-1)?.id ?? null,
          });
        }
        if (method === 'POST' && path === '/v1/messages') {
          if (denied) return denied;
          const model = safeJson(body).model;
          if (typeof model === 'string' && !servesModel(model))
            return { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: `model: ${model}` } } };
          return {
            status: 200,
            body: {
              id: 'msg_fake',
              type: 'message',
              role: 'assistant',
              model,
              content: [{ type: 'text', text: 'Hi' }],
              stop_reason: 'max_tokens',
              usage: { input_tokens: 8, output_tokens: 1 },
            },
          };
        }
        return notFound();
      }
      case 'gemini': {
        if (method === 'GET' && path === '/v1beta/models') {
          if (denied) return denied;
          const size = Math.min(Number(query.get('pageSize') ?? 50), options.pageSize ?? 1000);
          const p = page(models, decodeToken(query.get('pageToken') ?? undefined), size);
          return listing({ models: p.items, ...(p.next !== null ? { nextPageToken: encodeToken(p.next) } : {}) });
        }
        const gen = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(path);
        if (method === 'POST' && gen) {
          if (denied) return denied;
          if (!(models as Array<{ name: string }>).some((m) => m.name === `models/${decodeURIComponent(gen[1] ?? '')}`)) {
            return {
              status: 404,
              body: { error: { code: 404, message: `models/${gen[1]} is not found for API version v1beta`, status: 'NOT_FOUND' } },
            };
          }
          return {
            status: 200,
            body: {
              candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'MAX_TOKENS' }],
              usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1 },
            },
          };
        }
        return notFound();
      }
      case 'azure': {
        if (!query.get('api-version')) return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
        if (method === 'GET' && path === '/openai/models') return denied ?? listing({ object: 'list', data: models });
        if (method === 'GET' && path === '/openai/deployments') {
          if (denied) return denied;
          if (options.deploymentsRetired) return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
          const deployments = Object.entries(options.deployments ?? { 'gpt-4o-prod': 'gpt-4o' }).map(([id, model]) => ({
            id,
            model,
            owner: 'organization-owner',
            status: 'succeeded',
            scale_settings: { scale_type: 'standard' },
            created_at: 1_700_000_000,
            updated_at: 1_700_000_000,
            object: 'deployment',
          }));
          return { status: 200, body: { data: deployments, object: 'list' } };
        }
        if (method === 'POST' && /^\/openai\/deployments\/[^/]+\/chat\/completions$/.test(path)) return denied ?? chatReply(body);
        return notFound();
      }
      case 'bedrock':
        if (method === 'GET' && path === '/foundation-models') return denied ?? listing({ modelSummaries: models });
        return notFound();
      case 'vertex': {
        if (method === 'GET' && path === '/v1beta1/publishers/google/models') {
          if (denied) return denied;
          const size = Math.min(Number(query.get('pageSize') ?? 100), options.pageSize ?? 1000);
          const p = page(models, decodeToken(query.get('pageToken') ?? undefined), size);
          return listing({ publisherModels: p.items, ...(p.next !== null ? { nextPageToken: encodeToken(p.next) } : {}) });
        }
        const endpoints = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/endpoints$/.exec(path);
        if (method === 'GET' && endpoints) {
          if (denied) return denied;
          const project = decodeURIComponent(endpoints[1] ?? '');
          if (!(options.projects ?? ['fake-project']).includes(project)) return vertexProjectDenied(project);
          return { status: 200, body: {} };
        }
        if (
          method === 'POST' &&
          /^\/v1\/projects\/[^/]+\/locations\/[^/]+\/publishers\/google\/models\/[^/]+:generateContent$/.test(path)
        ) {
          return denied ?? { status: 200, body: { candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' } }] } };
        }
        return notFound();
      }
      case 'cohere': {
        if (method === 'GET' && path === '/v1/models') {
          if (denied) return denied;
          const size = Math.min(Number(query.get('page_size') ?? 20), options.pageSize ?? 1000);
          const p = page(models, decodeToken(query.get('page_token') ?? undefined), size);
          return listing({ models: p.items, ...(p.next !== null ? { next_page_token: encodeToken(p.next) } : {}) });
        }
        if (method === 'POST' && path === '/v2/chat')
          return (
            denied ?? {
              status: 200,
              body: { id: 'fake', finish_reason: 'MAX_TOKENS', message: { role: 'assistant', content: [{ type: 'text', text: 'Hi' }] } },
            }
          );
        return notFound();
      }
      case 'ollama':
        if (method === 'GET' && path === '/api/tags') return listing({ models });
        if (method === 'POST' && path === '/v1/chat/completions') return chatReply(body);
        return notFound();
      case 'github':
        if (method === 'GET' && path === '/catalog/models') return denied ?? listing(models);
        if (method === 'POST' && path === '/inference/chat/completions') return denied ?? chatReply(body);
        return notFound();
      case 'watsonx': {
        if (method === 'GET' && path === '/ml/v4/deployments') {
          if (denied) return denied;
          return watsonxDeployments(query, url, options);
        }
        if (method === 'GET' && path === '/ml/v1/foundation_model_specs') {
          if (denied) return denied;
          if (!query.get('version'))
            return {
              status: 400,
              body: { errors: [{ code: 'missing_version', message: 'Missing query parameter version' }], status_code: 400 },
            };
          const limit = Math.min(Number(query.get('limit') ?? 100), options.pageSize ?? 200);
          const start = Number(query.get('start') ?? 0);
          const p = page(models, start, limit);
          const link = (n: number) => ({
            href: `${url}/ml/v1/foundation_model_specs?version=${query.get('version')}&start=${n}&limit=${limit}`,
          });
          return listing({
            total_count: models.length,
            limit,
            first: link(0),
            ...(p.next !== null ? { next: link(p.next) } : {}),
            resources: p.items,
          });
        }
        return notFound();
      }
      case 'elevenlabs':
        if (method === 'GET' && path === '/v1/models') return denied ?? listing(models);
        return notFound();
      case 'replicate':
        if (method === 'GET' && path === '/v1/account')
          return denied ?? { status: 200, body: { type: 'user', username: 'fake-user', name: 'Fake User', github_url: null } };
        return notFound();
      case 'voyage':
        if (method === 'POST' && path === '/v1/embeddings') {
          if (denied) return denied;
          const parsed = safeJson(body);
          if (!Array.isArray(parsed.input) || typeof parsed.model !== 'string')
            return { status: 400, body: { detail: 'Request body is invalid.' } };
          return {
            status: 200,
            body: {
              object: 'list',
              data: [{ object: 'embedding', embedding: [0.01, -0.02, 0.03], index: 0 }],
              model: parsed.model,
              usage: { total_tokens: 1 },
            },
          };
        }
        return notFound();
      case 'perplexity':
        if (method === 'POST' && path === '/chat/completions') return denied ?? chatReply(body);
        return notFound();
      case 'runway':
        if (method === 'GET' && path === '/v1/organization') {
          if (!req.headers['x-runway-version']) return { status: 400, body: { error: 'The X-Runway-Version header is required.' } };
          if (denied) return denied;
          const tierModels = Object.fromEntries(ids.map((id) => [id, { maxConcurrentGenerations: 2, maxDailyGenerations: 50 }]));
          return {
            status: 200,
            body: { creditBalance: 1000, tier: { maxMonthlyCreditSpend: 10_000, models: tierModels }, usage: { models: {} } },
          };
        }
        return notFound();
    }
  };

  /** Whether the fake serves this id (entries carry it as `id`, or Gemini-style as `models/{id}`). */
  function servesModel(id: string): boolean {
    return models.some((entry) => {
      const record = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
      return record.id === id || record.name === id || record.name === `models/${id}`;
    });
  }

  function chatReply(body: string): Reply {
    const parsed = safeJson(body);
    const model = typeof parsed.model === 'string' ? parsed.model : 'unknown';
    if (parsed.max_tokens !== 1 && parsed.max_completion_tokens !== 1)
      return { status: 400, body: { error: { message: 'expected a one-token test', type: 'invalid_request_error' } } };
    return { status: 200, body: chatCompletion(model) };
  }

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const parsedUrl = new URL(req.url ?? '/', 'http://fake');
    requests.push({
      method: req.method ?? 'GET',
      path: parsedUrl.pathname,
      query: Object.fromEntries(parsedUrl.searchParams),
      headers: req.headers,
      body,
    });
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    let reply: Reply;
    try {
      reply = await route(req, parsedUrl.pathname, parsedUrl.searchParams, body);
    } catch (error) {
      reply = { status: 500, body: { error: { message: `fake provider bug: ${String(error)}` } } };
    }
    if (reply.status === -1) {
      req.socket.destroy();
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(text);
  };

  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, (q, s) => void handler(q, s))
    : createHttpServer((q, s) => void handler(q, s));
  let connections = 0;
  server.on(options.tls ? 'secureConnection' : 'connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  if (account) serviceAccountJson = makeServiceAccount(`${url}/token`, account.privateKeyPem);

  const baseUrl =
    {
      openai: `${url}/v1`,
      rits: `${url}/v1`,
      together: `${url}/v1`,
      replicate: `${url}/v1`,
      voyage: `${url}/v1`,
      runway: `${url}/v1`,
      github: `${url}/inference`,
    }[family as string] ?? url;
  const settings: Record<string, unknown> =
    family === 'watsonx'
      ? { iam_url: url, project_id: 'fake-project' }
      : family === 'bedrock'
        ? { region: aws.region }
        : family === 'vertex'
          ? { project_id: 'fake-project', region: 'us-central1' }
          : {};

  return {
    family,
    url,
    baseUrl,
    settings,
    keys,
    requests,
    serviceAccountJson,
    aws,
    tokens,
    connections: () => connections,
    setModels(next) {
      models.splice(0, models.length, ...next.map((id) => entryFor(family, id, withdrawn)));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Vertex's answer for a project the credentials cannot use (docs/providers.md, "Vertex AI": CONSUMER_INVALID). */
function vertexProjectDenied(project: string): Reply {
  const message = `Permission denied on resource project ${project}.`;
  return {
    status: 403,
    body: {
      error: {
        code: 403,
        message,
        errors: [{ message, domain: 'global', reason: 'forbidden' }],
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'CONSUMER_INVALID',
            domain: 'googleapis.com',
            metadata: { consumer: `projects/${project}`, containerInfo: project, service: 'aiplatform.googleapis.com' },
          },
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
        ],
      },
    },
  };
}

/**
 * watsonx.ai `GET /ml/v4/deployments` scoped to a project or space (docs/providers.md, "watsonx"). The unlinked-project
 * body is as seen from ml/v1; the not-a-member message is from the projects service; the 200 body shape is unverified.
 */
function watsonxDeployments(query: URLSearchParams, url: string, options: FakeProviderOptions): Reply {
  const envelope = (status: number, code: string, message: string): Reply => ({
    status,
    body: { errors: [{ code, message }], trace: randomBytes(8).toString('hex'), status_code: status },
  });
  if (!query.get('version')) return envelope(400, 'missing_version', 'Missing query parameter version');
  const project = query.get('project_id');
  const space = query.get('space_id');
  if (!project && !space) return envelope(400, 'missing_one_of_params', 'Either space_id or project_id has to be provided.');
  if (project && (options.unlinkedProjects ?? []).includes(project))
    return envelope(403, 'no_associated_service_instance_error', `project_id ${project} is not associated with a WML instance`);
  if (project && !(options.projects ?? ['fake-project']).includes(project))
    return envelope(403, 'authorization_rejected', `Failed to find the IBMid-6900000000 member in project_id ${project}.`);
  if (space && !project && !(options.spaces ?? ['fake-space']).includes(space))
    return envelope(403, 'authorization_rejected', `Failed to find the IBMid-6900000000 member in space_id ${space}.`);
  const scope = project ? `project_id=${project}` : `space_id=${space ?? ''}`;
  return {
    status: 200,
    body: { total_count: 0, limit: Number(query.get('limit') ?? 100), first: { href: `${url}/ml/v4/deployments?${scope}` }, resources: [] },
  };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
