import type { ChangeEvent } from '@contract/change-events';
import type { Provider } from '@contract/domain-schemas';
import { DeskClientError, type DeskClient } from '../client/desk-client';
import type { DetailStore } from './detail-store';
import type { ProvidersStore } from './providers-store';

/** Events arriving within this long are applied together (the backend already sends at most a few batches per 100 ms). */
const GATHER_MS = 16;
/** More changed rows on screen than this are re-read as pages (one list call) rather than one provider at a time. */
const MAX_ROW_READS = 8;

/** Change events that can add rows to the list, remove them or move them, whatever it is filtered and sorted by. */
const RESHAPING = new Set<ChangeEvent['type']>(['store.changed', 'provider.created', 'provider.deleted', 'provider.updated']);

export interface LiveSyncStores {
  client: DeskClient;
  providers: ProvidersStore;
  detail: DetailStore;
}

/**
 * Keeps the provider list and the open detail in step with the backend's change events, without the user doing
 * anything and without re-reading the world: a changed row is re-read alone (or its page, when the change can move
 * rows), the open provider with it, and the row always shows what the detail shows. Returns the way to stop.
 */
export function startLiveSync({ client, providers, detail }: LiveSyncStores): () => void {
  let pending: ChangeEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let applying = false;

  const schedule = () => {
    timer ??= setTimeout(run, GATHER_MS);
  };
  const run = () => {
    timer = undefined;
    // One application at a time: a burst during a slow read waits and is applied as one.
    if (applying || pending.length === 0) return;
    const batch = pending;
    pending = [];
    applying = true;
    void apply(batch).finally(() => {
      applying = false;
      if (pending.length > 0) schedule();
    });
  };

  const apply = async (batch: ChangeEvent[]): Promise<void> => {
    const open = detail.getState();
    const openId = open.provider?.id ?? open.id;
    const everything = batch.some((e) => e.type === 'store.changed');
    const touched = new Set<string>();
    for (const event of batch) {
      if (!event.provider_id) continue;
      if (event.type === 'check.started') {
        if (event.provider_id === openId) void detail.getState().followTest(event.key_id ?? null);
      } else {
        touched.add(event.provider_id);
      }
    }
    const list = providers.getState();
    const reshaped = batch.some((e) => RESHAPING.has(e.type)) || (touched.size > 0 && list.orderDependsOnHealth());
    const rows = reshaped ? [] : [...touched].filter((id) => list.hasRow(id));
    const pages = reshaped || rows.length > MAX_ROW_READS;
    const reads = new Set(pages ? [] : rows);
    const detailChanged = openId !== null && (everything || touched.has(openId));
    if (detailChanged) reads.add(openId);

    const work: Array<Promise<unknown>> = [];
    if (pages) work.push(list.refresh());
    for (const id of reads) work.push(readProvider(id));
    const modelsChanged = openId !== null && (everything || batch.some((e) => e.type === 'models.changed' && e.provider_id === openId));
    await Promise.all(work);
    const models = detail.getState().models;
    if (modelsChanged && models.loaded && !models.loading) await detail.getState().loadModels();
  };

  const readProvider = async (id: string): Promise<void> => {
    let provider: Provider;
    try {
      provider = await client.call('providers.get', { idOrName: id });
    } catch (error) {
      // Deleted meanwhile: the open detail says so, the list drops the row.
      if (error instanceof DeskClientError && error.code === 'not_found') {
        if (detail.getState().id === id) await detail.getState().reload();
        await providers.getState().refresh();
      }
      return;
    }
    detail.getState().applyProvider(provider);
    providers.getState().replaceRows([provider]);
  };

  const offEvents = client.subscribe((event) => {
    if (event.type !== 'changes') return;
    pending.push(...event.events);
    schedule();
  });
  // Whatever the detail shows (after a test, a save, a reload), its row shows too, in the same render.
  const offDetail = detail.subscribe((state, previous) => {
    if (state.provider && state.provider !== previous.provider) providers.getState().replaceRows([state.provider]);
  });
  return () => {
    clearTimeout(timer);
    offEvents();
    offDetail();
  };
}
