import type { ErrorBody, FieldError, Result } from '@contract/errors';
import type { OperationInput, OperationName, OperationOutput, TestAllProgress } from '@contract/operations';
import type { ChangeEvent } from '@contract/change-events';

/**
 * What the backend tells the renderer: a batch of changes from its change feed (IPC in the app, Server-Sent Events in a
 * browser; `store.changed` also when the transport may have missed some), or a long operation's progress.
 */
export type ClientEvent =
  { type: 'changes'; events: ChangeEvent[] } | { type: 'progress'; operation: OperationName; progress: TestAllProgress };

/** Browser sessions (token login); only the HTTP transport has them, the desktop app is always signed in. */
export interface SessionControl {
  login(token: string): Promise<Result<{ ok: true }>>;
  logout(): Promise<void>;
}

/** How the client reaches the backend: IPC in the desktop app, HTTP in a browser. */
export interface DeskTransport {
  readonly kind: 'ipc' | 'http';
  invoke(name: OperationName, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: ClientEvent) => void): () => void;
  readonly session?: SessionControl;
}

/** An operation that failed, with its stable code and the fields at fault, and a message fit to show. */
export class DeskClientError extends Error {
  readonly code: string;
  readonly fields: FieldError[];
  /** Extra facts from the backend, e.g. the failed check result (with its hint) of a model listing. */
  readonly details: unknown;

  constructor(error: ErrorBody | { code: string; message: string; fields?: FieldError[]; details?: unknown }) {
    super(error.message);
    this.name = 'DeskClientError';
    this.code = error.code;
    this.fields = error.fields ?? [];
    this.details = error.details;
  }

  /** The message for a field, if the backend named it (e.g. `base_url`, `api_keys[0].value`). */
  fieldMessage(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

/** The renderer's one way to the backend, typed by the contract. */
export class DeskClient {
  private readonly unauthorizedListeners = new Set<() => void>();

  constructor(readonly transport: DeskTransport) {}

  async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    const result = await this.transport.invoke(name, input);
    if (!result.ok) {
      if (result.error.code === 'unauthorized') this.unauthorizedListeners.forEach((listener) => listener());
      throw new DeskClientError(result.error);
    }
    return result.data as OperationOutput<N>;
  }

  subscribe(listener: (event: ClientEvent) => void): () => void {
    return this.transport.subscribe(listener);
  }

  /** Called whenever the backend says the session is gone (browser mode: logged out, or the token was rotated). */
  onUnauthorized(listener: () => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }
}
