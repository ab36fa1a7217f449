import type { ApiKey } from '@contract/domain-schemas';
import type { OperationInput } from '@contract/operations';
import type { DeskClient } from '../client/desk-client';
import type { DetailStore } from './detail-store';

export type KeyPatch = Omit<OperationInput<'keys.update'>, 'idOrName' | 'keyId'>;

/** Key operations on the open provider; each reloads the provider so the list of keys stays the server's. */
export function createKeyActions(client: DeskClient, detail: DetailStore) {
  const providerId = (): string => {
    const id = detail.getState().provider?.id;
    if (!id) throw new Error('No provider is open');
    return id;
  };
  const thenReload = async <T>(work: Promise<T>): Promise<T> => {
    const result = await work;
    await detail.getState().reload();
    return result;
  };
  return {
    add: (input: { name?: string; value: string; weight?: number }): Promise<ApiKey> =>
      thenReload(client.call('keys.create', { idOrName: providerId(), ...input })),
    /** Several keys in one all-or-nothing write (a paste of one key per line); names are generated (key-2, key-3…). */
    addMany: (values: string[]): Promise<{ keys: ApiKey[] }> =>
      thenReload(client.call('keys.createMany', { idOrName: providerId(), keys: values.map((value) => ({ value })) })),
    update: (keyId: string, patch: KeyPatch): Promise<ApiKey> =>
      thenReload(client.call('keys.update', { idOrName: providerId(), keyId, ...patch })),
    remove: (keyId: string): Promise<ApiKey> => thenReload(client.call('keys.delete', { idOrName: providerId(), keyId })),
    /** Desktop only: the key goes to the clipboard in the main process and never reaches the page. */
    copy: (keyId: string) => client.call('keys.copy', { idOrName: providerId(), keyId }),
  };
}

export type KeyActions = ReturnType<typeof createKeyActions>;
