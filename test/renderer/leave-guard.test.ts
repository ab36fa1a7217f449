import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../src-renderer/src/stores/index.js';
import { createUiStore, leavesProvider, type LeaveIntent } from '../../src-renderer/src/stores/ui-store.js';
import { saveAllDrafts } from '../../src-renderer/src/components/detail/draft-tabs.js';
import { networkDraft } from '../../src-renderer/src/components/detail/NetworkTab.js';
import { generalDraft } from '../../src-renderer/src/components/detail/GeneralTab.js';
import { CONFLICT_MESSAGE } from '../../src-renderer/src/stores/drafts-store.js';
import type { Route } from '../../src-renderer/src/lib/route.js';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { httpClient } from './clients.js';

const at = (providerId: string | null, tab: 'general' | 'network' = 'general'): Route => ({ view: 'providers', providerId, tab });
const to = (route: Route): LeaveIntent => ({ kind: 'route', route });

describe('leaving a provider', () => {
  it('is another provider, none, Settings, or a dialog that replaces the view; a tab switch is not', () => {
    expect(leavesProvider(at('p1'), to(at('p1', 'network')))).toBe(false);
    expect(leavesProvider(at('p1'), to(at('p2')))).toBe(true);
    expect(leavesProvider(at('p1'), to(at(null)))).toBe(true);
    expect(leavesProvider(at('p1'), to({ view: 'settings' }))).toBe(true);
    expect(leavesProvider(at('p1'), { kind: 'dialog', name: 'import' })).toBe(true);
    expect(leavesProvider(at('p1'), { kind: 'dialog', name: 'catalog' })).toBe(true);
    expect(leavesProvider(at('p1'), { kind: 'dialog', name: 'export' })).toBe(false);
    expect(leavesProvider(at(null), to(at('p2')))).toBe(false);
  });

  it('waits for an answer while the guard says there are unsaved edits, puts the hash back, then goes or stays', () => {
    const location = { hash: '#/providers/p1/network' };
    const ui = createUiStore(location);
    let dirty = true;
    ui.getState().setLeaveGuard(() => dirty);

    ui.getState().openProvider('p1', 'general');
    expect(ui.getState().route).toEqual(at('p1', 'general'));
    expect(ui.getState().pendingLeave).toBeNull();

    // A link has already changed the hash; while the question is open the address shows where the user still is.
    location.hash = '#/settings';
    ui.getState().navigate({ view: 'settings' });
    expect(ui.getState().pendingLeave).toEqual(to({ view: 'settings' }));
    expect(ui.getState().route).toEqual(at('p1', 'general'));
    expect(location.hash).toBe('#/providers/p1/general');

    ui.getState().settleLeave(false);
    expect(ui.getState().pendingLeave).toBeNull();
    expect(ui.getState().route).toEqual(at('p1', 'general'));

    ui.getState().openDialog('import');
    expect(ui.getState().dialog).toBeNull();
    ui.getState().settleLeave(true);
    expect(ui.getState().dialog).toBe('import');
    ui.getState().closeDialog();

    ui.getState().openProvider('p2');
    ui.getState().settleLeave(true);
    expect(ui.getState().route).toEqual(at('p2', 'general'));
    expect(location.hash).toBe('#/providers/p2/general');

    dirty = false;
    ui.getState().navigate({ view: 'settings' });
    expect(ui.getState().route).toEqual({ view: 'settings' });
  });
});

describe('saving drafts when leaving', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('saves every unsaved tab in one update, and refuses, keeping the edits, when the provider changed elsewhere', async () => {
    const created = server.desk.providers.create({ name: 'drafty', type: 'openai' });
    const stores = createStores(httpClient(server));
    await stores.detail.getState().open(created.id);
    const opened = stores.detail.getState().provider!;

    stores.drafts.getState().put(opened.id, 'network', { ...networkDraft(opened), timeout: '42' }, opened.revision);
    stores.drafts.getState().put(opened.id, 'general', { ...generalDraft(opened), display_name: 'Drafty' }, opened.revision);
    // Another process changes the provider while the edits are open.
    server.desk.providers.update(opened.id, { description: 'changed by the CLI' });
    await stores.detail.getState().reload();

    const refused = await saveAllDrafts(stores, stores.detail.getState().provider!);
    expect(refused).toEqual({ ok: false, message: CONFLICT_MESSAGE });
    expect(server.desk.providers.get(opened.id).network_config.default_request_timeout_in_seconds).not.toBe(42);
    const kept = stores.drafts.getState().byProvider[opened.id];
    expect(kept?.network?.conflict).toBe(CONFLICT_MESSAGE);
    expect(kept?.general?.value).toMatchObject({ display_name: 'Drafty' });

    // The user has been told; saving again applies the edits over the new revision.
    const saved = await saveAllDrafts(stores, stores.detail.getState().provider!);
    expect(saved).toEqual({ ok: true });
    const stored = server.desk.providers.get(opened.id);
    expect(stored.network_config.default_request_timeout_in_seconds).toBe(42);
    expect(stored.display_name).toBe('Drafty');
    expect(stored.description).toBe('changed by the CLI');
    expect(stores.drafts.getState().byProvider[opened.id]).toBeUndefined();
  });

  it('does not save a draft with fields the page knows are wrong, and names the tab', async () => {
    const created = server.desk.providers.create({ name: 'drafty-bad', type: 'openai' });
    const stores = createStores(httpClient(server));
    await stores.detail.getState().open(created.id);
    const opened = stores.detail.getState().provider!;
    stores.drafts.getState().put(opened.id, 'network', { ...networkDraft(opened), retries: 'many' }, opened.revision);
    const outcome = await saveAllDrafts(stores, opened);
    expect(outcome).toMatchObject({ ok: false, tab: 'network', message: expect.stringMatching(/^Network has fields to correct/) });
    expect(server.desk.providers.get(opened.id).revision).toBe(opened.revision);
  });
});
