import { MAX_SUGGESTED_MODEL_LENGTH, MAX_SUGGESTED_MODELS } from './match.js';
import { AGENTSTACK_TYPES, type AgentStackType, type Capability } from './schema.js';

/** One entry of a FastAPI 422 body, as pydantic words it. */
export interface Issue {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

/** An answer in Agent Stack's error shape: `{"detail": "..."}`, or the 422 list of issues. */
export class AgentStackError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | Issue[],
  ) {
    super(typeof detail === 'string' ? detail : 'validation failed');
    this.name = 'AgentStackError';
  }
}

export const unprocessable = (issues: Issue[]): AgentStackError => new AgentStackError(422, issues);

function choices(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length === 1 ? (quoted[0] as string) : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** Pydantic's view of the body: a missing body and a non-object body are issues of their own. */
function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) throw unprocessable([{ type: 'missing', loc: ['body'], msg: 'Field required' }]);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw unprocessable([
      { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from' },
    ]);
  }
  return body as Record<string, unknown>;
}

const missing = (field: string): Issue => ({ type: 'missing', loc: ['body', field], msg: 'Field required' });

function enumField<T extends string>(body: Record<string, unknown>, field: string, values: readonly T[], issues: Issue[]): T | undefined {
  const value = body[field];
  if (value === undefined) issues.push(missing(field));
  else if (typeof value !== 'string' || !values.includes(value as T))
    issues.push({ type: 'enum', loc: ['body', field], msg: `Input should be ${choices(values)}` });
  else return value as T;
  return undefined;
}

function optionalText(body: Record<string, unknown>, field: string, issues: Issue[], max?: number): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') issues.push({ type: 'string_type', loc: ['body', field], msg: 'Input should be a valid string' });
  else if (max !== undefined && value.length > max)
    issues.push({ type: 'string_too_long', loc: ['body', field], msg: `String should have at most ${max} characters` });
  else return value;
  return null;
}

function urlField(body: Record<string, unknown>, field: string, issues: Issue[]): string | undefined {
  const value = body[field];
  const issue = (type: string, msg: string) => issues.push({ type, loc: ['body', field], msg });
  if (value === undefined) issues.push(missing(field));
  else if (typeof value !== 'string') issue('url_type', 'URL input should be a string or URL');
  else if (value.length === 0) issue('url_parsing', 'Input should be a valid URL, input is empty');
  else if (value.length > 2083) issue('url_too_long', 'URL should have at most 2083 characters');
  else {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      issue('url_parsing', 'Input should be a valid URL, relative URL without a base');
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') issue('url_scheme', "URL scheme should be 'http' or 'https'");
    else if (url && !url.hostname) issue('url_parsing', 'Input should be a valid URL, empty host');
    else if (url) return value;
  }
  return undefined;
}

export interface CreateRequest {
  type: AgentStackType;
  base_url: string;
  api_key: string;
  name: string | null;
  description: string | null;
  watsonx_project_id: string | null;
  watsonx_space_id: string | null;
}

/** Validates a create body in pydantic's order and words, collecting every issue. */
export function parseCreate(input: unknown): CreateRequest {
  const body = bodyObject(input);
  const issues: Issue[] = [];
  const type = enumField(body, 'type', AGENTSTACK_TYPES, issues);
  const baseUrl = urlField(body, 'base_url', issues);
  let apiKey: string | undefined;
  if (body.api_key === undefined) issues.push(missing('api_key'));
  else if (typeof body.api_key !== 'string')
    issues.push({ type: 'string_type', loc: ['body', 'api_key'], msg: 'Input should be a valid string' });
  else if (body.api_key.trim() !== body.api_key)
    issues.push({ type: 'value_error', loc: ['body', 'api_key'], msg: 'Value error, must not start or end with whitespace' });
  else apiKey = body.api_key;
  const name = optionalText(body, 'name', issues, 200);
  const description = optionalText(body, 'description', issues, 4000);
  const project = optionalText(body, 'watsonx_project_id', issues);
  const space = optionalText(body, 'watsonx_space_id', issues);
  if (issues.length > 0 || type === undefined || baseUrl === undefined || apiKey === undefined) throw unprocessable(issues);
  return { type, base_url: baseUrl, api_key: apiKey, name, description, watsonx_project_id: project, watsonx_space_id: space };
}

export interface MatchRequest {
  capability: Capability;
  suggested_models: string[] | null;
  score_cutoff: number;
}

/** Code points, as pydantic counts a string's length; stops counting once past `max`. */
function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _char of text) if (++count > max) return true;
  return false;
}

/**
 * Validates a match body. A suggestion list over MAX_SUGGESTED_MODELS entries, or an entry over
 * MAX_SUGGESTED_MODEL_LENGTH characters, is refused with 400 (issues in pydantic's words) so that scoring stays bounded.
 */
export function parseMatch(input: unknown): MatchRequest {
  const body = bodyObject(input);
  const issues: Issue[] = [];
  let overLimit = false;
  const capability = enumField(body, 'capability', ['llm', 'embedding'] as const, issues);
  let suggested: string[] | null = null;
  const rawSuggested = body.suggested_models;
  if (rawSuggested !== undefined && rawSuggested !== null) {
    if (!Array.isArray(rawSuggested))
      issues.push({ type: 'list_type', loc: ['body', 'suggested_models'], msg: 'Input should be a valid list' });
    else if (rawSuggested.length > MAX_SUGGESTED_MODELS) {
      overLimit = true;
      issues.push({
        type: 'too_long',
        loc: ['body', 'suggested_models'],
        msg: `List should have at most ${MAX_SUGGESTED_MODELS} items after validation, not ${rawSuggested.length}`,
      });
    } else {
      rawSuggested.forEach((item, index) => {
        if (typeof item !== 'string')
          issues.push({ type: 'string_type', loc: ['body', 'suggested_models', index], msg: 'Input should be a valid string' });
        else if (longerThan(item, MAX_SUGGESTED_MODEL_LENGTH)) {
          overLimit = true;
          issues.push({
            type: 'string_too_long',
            loc: ['body', 'suggested_models', index],
            msg: `String should have at most ${MAX_SUGGESTED_MODEL_LENGTH} characters`,
          });
        }
      });
      suggested = rawSuggested.filter((item): item is string => typeof item === 'string');
    }
  }
  let cutoff = 0.4;
  const rawCutoff = body.score_cutoff;
  if (typeof rawCutoff === 'number' && Number.isFinite(rawCutoff)) cutoff = rawCutoff;
  else if (typeof rawCutoff === 'string' && rawCutoff.trim() !== '' && Number.isFinite(Number(rawCutoff))) cutoff = Number(rawCutoff);
  else if (typeof rawCutoff === 'string')
    issues.push({
      type: 'float_parsing',
      loc: ['body', 'score_cutoff'],
      msg: 'Input should be a valid number, unable to parse string as a number',
    });
  else if (rawCutoff !== undefined)
    issues.push({ type: 'float_type', loc: ['body', 'score_cutoff'], msg: 'Input should be a valid number' });
  if (overLimit) throw new AgentStackError(400, issues);
  if (issues.length > 0 || capability === undefined) throw unprocessable(issues);
  return { capability, suggested_models: suggested, score_cutoff: cutoff };
}

const UUID = /^(?:urn:uuid:)?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

/** A path uuid in its canonical form (pydantic accepts the hyphenless and urn forms too), or a 422. */
export function parseUuid(value: string, field = 'model_provider_id'): string {
  const match = UUID.exec(value.trim());
  if (!match)
    throw unprocessable([{ type: 'uuid_parsing', loc: ['path', field], msg: 'Input should be a valid UUID, invalid character or length' }]);
  return match.slice(1, 6).join('-').toLowerCase();
}
