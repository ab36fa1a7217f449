import { z } from 'zod';

/**
 * What the change feed tells its subscribers (the window over IPC, browsers and tools over `GET /api/v1/events`): which
 * provider, key or check changed, by id. Never a secret, never a whole provider: a subscriber re-reads what it shows.
 */
export const CHANGE_EVENT_TYPES = [
  'provider.created',
  'provider.updated',
  'provider.deleted',
  'key.changed',
  'models.changed',
  'check.started',
  'check.finished',
  'store.changed',
] as const;

export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[number];

export const ChangeEventSchema = z
  .object({
    /** Increases with every event this process publishes (the SSE `id:`); restarts when the process does. */
    id: z.number().int().nonnegative(),
    type: z.enum(CHANGE_EVENT_TYPES),
    /** The provider concerned; absent for `store.changed` (another process wrote, or a bulk write such as an import). */
    provider_id: z.string().optional(),
    /** The key concerned, when one key changed or is being tested alone. */
    key_id: z.string().optional(),
  })
  .meta({
    id: 'ChangeEvent',
    description:
      'A change to the store. `store.changed` means "anything may have changed" (another process wrote, e.g. the CLI): re-read what you show.',
  });

export type ChangeEvent = z.output<typeof ChangeEventSchema>;
/** An event before the feed numbers it. */
export type ChangeEventInput = Omit<ChangeEvent, 'id'>;
