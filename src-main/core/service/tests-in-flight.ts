/** What a test was asked to do; two requests asking the same thing share one probe. */
export interface TestRequest {
  keyId?: string | undefined;
  deep?: boolean | undefined;
  model?: string | undefined;
}

export interface RunningTest {
  provider_id: string;
  key_id: string | null;
  started_at: string;
}

interface Entry<T> {
  request: TestRequest;
  startedAt: string;
  done: Promise<T>;
}

function sameRequest(a: TestRequest, b: TestRequest): boolean {
  return (a.keyId ?? null) === (b.keyId ?? null) && (a.deep ?? false) === (b.deep ?? false) && (a.model ?? null) === (b.model ?? null);
}

/**
 * The tests running now, by provider. A test belongs to the backend, not to the window that asked: a second request
 * for the same provider and the same thing joins the running test (one probe, the same result); a request for
 * something else (another key, a deep test) waits until the running one ends instead of probing alongside it.
 */
export class TestsInFlight<T> {
  private readonly running = new Map<string, Entry<T>>();

  async run(providerId: string, request: TestRequest, start: () => Promise<T>): Promise<T> {
    for (;;) {
      const current = this.running.get(providerId);
      if (!current) break;
      if (sameRequest(current.request, request)) return current.done;
      await current.done.catch(() => undefined);
    }
    const done = start();
    this.running.set(providerId, { request, startedAt: new Date().toISOString(), done });
    try {
      return await done;
    } finally {
      this.running.delete(providerId);
    }
  }

  /** The tests in flight, oldest first. */
  list(): RunningTest[] {
    return [...this.running].map(([providerId, entry]) => ({
      provider_id: providerId,
      key_id: entry.request.keyId ?? null,
      started_at: entry.startedAt,
    }));
  }
}
