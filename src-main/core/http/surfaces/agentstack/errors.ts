import { DeskError } from '../../../contract/errors.js';
import { FAILURE_STATUS, type ErrorShape, type FailureShaper } from '../registry.js';
import { AgentStackError } from './validation.js';

/** Generic failures as Agent Stack (FastAPI) words them: `{"detail": ...}`. */
export const agentStackGenericFailure: FailureShaper = (failure, message) => {
  const status = FAILURE_STATUS[failure];
  // FastAPI's issue-list shape for a body that is not JSON, with the 400 every surface gives malformed JSON.
  if (failure === 'invalid_json')
    return { status, body: { detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error' }] } };
  if (failure === 'not_found') return { status, body: { detail: 'Not Found' } };
  // FastAPI's HTTPBasic answers a missing credential with a Basic challenge.
  if (failure === 'unauthorized') return { status, body: { detail: 'Not authenticated' }, headers: { 'www-authenticate': 'Basic' } };
  return { status, body: { detail: message } };
};

export const AGENT_STACK_INTERNAL_ERROR: ErrorShape = { status: 500, body: { detail: 'Internal Server Error' } };

/** Agent Stack's own failures and the service's expected ones with its statuses; null for anything else. */
export function agentStackAnswerError(error: unknown): ErrorShape | null {
  if (error instanceof AgentStackError) return { status: error.status, body: { detail: error.detail } };
  if (!(error instanceof DeskError)) return null;
  const status =
    error.code === 'not_found'
      ? 404
      : error.code === 'validation_failed' || error.code === 'conflict' || error.code === 'bad_request'
        ? 400
        : error.status;
  return { status, body: { detail: error.message } };
}
