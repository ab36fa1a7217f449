/** What `write` reports for each item of a batch, in the batch's order. */
export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface WriteBatcherOptions {
  /** Write as soon as this many items wait. */
  maxItems?: number;
  /** Write at the latest this long after the first waiting item arrived. */
  maxDelayMs?: number;
}

/**
 * Collects items and hands them to `write` together (one store transaction for many results instead of one each):
 * when `maxItems` wait, `maxDelayMs` after the first of them arrived, or on flush(). Each add() settles with its own
 * item's outcome once its batch is written.
 */
export class WriteBatcher<T, R> {
  private waiting: Array<{ item: T; resolve: (value: R) => void; reject: (error: unknown) => void }> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly maxItems: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly write: (items: T[]) => Array<ItemOutcome<R>>,
    options: WriteBatcherOptions = {},
  ) {
    this.maxItems = options.maxItems ?? 64;
    this.maxDelayMs = options.maxDelayMs ?? 5;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
    });
  }

  /** Writes what waits now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    let outcomes: Array<ItemOutcome<R>>;
    try {
      outcomes = this.write(batch.map((entry) => entry.item));
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index] ?? { ok: false, error: new Error('the batch writer reported no outcome for an item') };
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}
