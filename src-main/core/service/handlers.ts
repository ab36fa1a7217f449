import { CATALOG } from '../catalog/catalog.js';
import type { OperationName, OperationOutput, ParsedInput, TestAllProgress } from '../contract/operations.js';
import type { Desk } from '../desk.js';
import { exportConfig, exportEncrypted, importConfig } from '../config-file/index.js';

export interface CallContext {
  transport: 'http' | 'ipc' | 'cli';
  /** Progress of a streaming operation (test-all). */
  onProgress?: (event: TestAllProgress) => void;
}

export type Handler<N extends OperationName> = (
  input: ParsedInput<N>,
  ctx: CallContext,
) => OperationOutput<N> | Promise<OperationOutput<N>>;
export type Handlers = { [N in OperationName]: Handler<N> };

/** Maps each contract operation onto the services. The only place where operation names meet service methods. */
export function createHandlers(desk: Desk): Handlers {
  const { providers, health } = desk;
  return {
    health: () => ({ ok: true as const, version: desk.version }),
    'app.info': () => desk.info(),
    'vault.setCliAccess': (input) => desk.setCliAccess(input.enabled),
    'catalog.list': () => ({
      types: CATALOG.map((e) => ({
        id: e.id,
        label: e.label,
        default_base_url: e.defaultBaseUrl,
        base_url_template: e.baseUrlTemplate ?? null,
        auth: e.auth,
        key_required: e.keyRequired,
        key_hint: e.keyHint,
        capabilities: e.capabilities,
        model_list: e.modelList,
        local: e.local,
        aliases: e.aliases,
        settings: e.settings.map((s) => ({
          name: s.name,
          label: s.label,
          secret: s.secret ?? false,
          required: s.required ?? false,
          placeholder: s.placeholder ?? '',
          multiline: s.multiline ?? false,
        })),
        docs_url: e.docsUrl,
      })),
    }),
    'providers.list': (input) =>
      providers.list({
        search: input.search,
        types: input.type,
        health: input.health,
        sortBy: input.sort,
        order: input.order ?? (input.sort ? 'asc' : 'desc'),
        limit: input.limit,
        offset: input.offset,
      }),
    'providers.create': (input) => providers.create(input),
    'providers.get': (input) => providers.get(input.idOrName),
    'providers.update': ({ idOrName, revision, ...patch }) => providers.update(idOrName, patch, revision),
    'providers.delete': (input) => providers.remove(input.idOrName, input.revision),
    'keys.create': ({ idOrName, revision, ...key }) => providers.addKey(idOrName, key, revision),
    'keys.update': ({ idOrName, keyId, revision, ...patch }) => providers.updateKey(idOrName, keyId, patch, revision),
    'keys.delete': (input) => providers.removeKey(input.idOrName, input.keyId, input.revision),
    'keys.copy': (input) => desk.copyKey(input.idOrName, input.keyId),
    'providers.test': (input) => health.test(input.idOrName, { deep: input.deep, model: input.model, keyId: input.key_id }),
    'providers.checks': (input) => health.history(input.idOrName),
    'checks.recent': (input) => desk.checkTransitions.since(input.after),
    'models.list': (input) => health.models(input.idOrName),
    'models.refresh': (input) => health.refresh(input.idOrName),
    'providers.testAll': (input, ctx) => health.testAll(input, ctx.onProgress),
    'token.rotate': () => ({ token: desk.token.rotate() }),
    'tokens.create': (input) => desk.tokens.create(input),
    'tokens.list': (input) => ({ tokens: desk.tokens.list(input.include_revoked ?? false) }),
    'tokens.delete': (input) => desk.tokens.revoke(input.id),
    'usage.byProvider': (input) => desk.usage.byProvider(input.idOrName),
    'usage.byToken': (input) => desk.usage.byToken(input.id),
    'token.get': () => ({
      token: desk.token.current(),
      file: desk.token.fromEnvironment ? null : desk.token.filePath,
      from_environment: desk.token.fromEnvironment,
    }),
    'preferences.get': () => desk.preferencesView(),
    'preferences.update': (input) => {
      if (input.theme !== undefined) desk.preferences.set('theme', input.theme);
      if (input.apiPort !== undefined) desk.preferences.set('apiPort', input.apiPort);
      if (input.apiEnabled !== undefined) desk.preferences.set('apiEnabled', input.apiEnabled);
      if (input.checkIntervalMinutes !== undefined) desk.preferences.set('checkIntervalMinutes', input.checkIntervalMinutes);
      return desk.preferencesView();
    },
    'config.import': ({ dry_run, prune, passphrase, confirm_destinations, ...document }) =>
      importConfig(desk, document, { dryRun: dry_run, prune, passphrase, confirmDestinations: confirm_destinations }),
    'config.export': (input) => exportConfig(desk, input.secrets ?? 'redacted') as OperationOutput<'config.export'>,
    'config.exportEncrypted': (input) => exportEncrypted(desk, input.passphrase, input.kdf),
  };
}
