import type { ChangeEvent, ChangeEventInput } from '../contract/change-events.js';
import type { ServiceEvents } from './provider-service.js';

export type ChangeListener = (events: ChangeEvent[]) => void;

export interface ChangeFeedOptions {
  /** The shortest time between two deliveries to one subscriber; a burst in between arrives as one batch. */
  intervalMs?: number;
  /** More distinct events than this in one batch are sent as one `store.changed` (re-reading the page is cheaper). */
  maxBatch?: number;
}

/** Something that starts when the feed gains its first subscriber and stops when it loses its last one. */
export interface FeedSource {
  start(): void;
  stop(): void;
}

const DEFAULT_INTERVAL_MS = 50;
const DEFAULT_MAX_BATCH = 256;

/** One subscriber's waiting events, delivered at most once per interval. */
class Subscription {
  private waiting = new Map<string, ChangeEvent>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastDelivery = 0;
  closed = false;

  constructor(
    private readonly listener: ChangeListener,
    private readonly intervalMs: number,
    private readonly maxBatch: number,
  ) {}

  add(event: ChangeEvent): void {
    if (this.closed) return;
    // The same thing changing twice in one batch is one change; the later event keeps its place and its id.
    const key = `${event.type}\u0000${event.provider_id ?? ''}\u0000${event.key_id ?? ''}`;
    this.waiting.delete(key);
    this.waiting.set(key, event);
    // The first event after a quiet spell leaves on the next turn of the event loop; later ones wait for the interval.
    this.timer ??= setTimeout(() => this.deliver(), Math.max(0, this.lastDelivery + this.intervalMs - Date.now()));
  }

  private deliver(): void {
    this.timer = undefined;
    if (this.closed || this.waiting.size === 0) return;
    let events = [...this.waiting.values()];
    this.waiting = new Map();
    if (events.length > this.maxBatch) events = [{ id: events.at(-1)!.id, type: 'store.changed' }];
    this.lastDelivery = Date.now();
    this.listener(events);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.waiting.clear();
  }
}

/**
 * The backend's one change feed: the service's writes, tests starting and finishing, and (through a source such as
 * the data_version watch) commits by other processes. Each subscriber gets batches, coalesced per interval, so a
 * test-all of 10,000 providers costs a few deliveries per 100 ms, not one per provider.
 */
export class ChangeFeed {
  private readonly subscriptions = new Set<Subscription>();
  private readonly sources: FeedSource[] = [];
  private nextId = 1;
  private readonly intervalMs: number;
  private readonly maxBatch: number;

  constructor(options: ChangeFeedOptions = {}) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  }

  publish(event: ChangeEventInput): void {
    if (this.subscriptions.size === 0) return;
    const numbered: ChangeEvent = { id: this.nextId++, ...event };
    for (const subscription of this.subscriptions) subscription.add(numbered);
  }

  /** Listens for batches of changes; returns the way to stop. */
  subscribe(listener: ChangeListener): () => void {
    const subscription = new Subscription(listener, this.intervalMs, this.maxBatch);
    this.subscriptions.add(subscription);
    if (this.subscriptions.size === 1) for (const source of this.sources) source.start();
    return () => {
      if (!this.subscriptions.delete(subscription)) return;
      subscription.close();
      if (this.subscriptions.size === 0) for (const source of this.sources) source.stop();
    };
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** A source runs only while someone listens (polling the store costs a read each time). */
  addSource(source: FeedSource): void {
    this.sources.push(source);
    if (this.subscriptions.size > 0) source.start();
  }

  /** Ends every subscription and stops the sources (the store is closing). */
  close(): void {
    for (const subscription of this.subscriptions) subscription.close();
    this.subscriptions.clear();
    for (const source of this.sources) source.stop();
  }
}

/** The feed's event for what ProviderService announces after each write. */
export function changeEventOf(change: ServiceEvents['changed'][0]): ChangeEventInput {
  const ids = {
    ...(change.providerId !== null ? { provider_id: change.providerId } : {}),
    ...(change.keyId ? { key_id: change.keyId } : {}),
  };
  switch (change.kind) {
    case 'created':
      return { type: 'provider.created', ...ids };
    case 'updated':
      return { type: 'provider.updated', ...ids };
    case 'deleted':
      return { type: 'provider.deleted', ...ids };
    case 'keys':
      return { type: 'key.changed', ...ids };
    case 'models':
      return { type: 'models.changed', ...ids };
    case 'testing':
      return { type: 'check.started', ...ids };
    case 'health':
      return { type: 'check.finished', ...ids };
    case 'import':
      return { type: 'store.changed' };
  }
}
