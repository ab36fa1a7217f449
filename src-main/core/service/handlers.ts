import { CATALOG } from '../catalog/catalog.js';
import type { OperationName, OperationOutput, ParsedInput, TestAllProgress } from '../contract/operations.js';
import type { Desk } from '../desk.js';
import { exportConfig, exportEncrypted, importConfig, type DocumentEntries } from '../config-file/index.js';
import { ModelCuration } from './model-curation.js';
import { checkDraft } from './draft-probe.js';

export interface CallContext {
  transport: 'http' | 'ipc' | 'cli';
  /** Progress of a streaming operation (test-all). */
  onProgress?: (event: TestAllProgress) => void;
  /** Aborted when the caller went away (an HTTP client closed the stream): a streaming operation stops. */
  signal?: AbortSignal;
  /**
   * config.import only, set by the CLI in its own process: the document read from its file as it is needed (never
   * held whole), instead of from the input, which then carries only the flags. No transport can send one.
   */
  document?: DocumentEntries;
}

export type Handler<N extends OperationName> = (
  input: ParsedInput<N>,
  ctx: CallContext,
) => OperationOutput<N> | Promise<OperationOutput<N>>;
export type Handlers = { [N in OperationName]: Handler<N> };

/** Maps each contract operation onto the services. The only place where operation names meet service methods. */
export function createHandlers(desk: Desk): Handlers {
  const { providers, health } = desk;
  const curation = new ModelCuration(desk.repo, providers, health, desk.probe);
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
    'providers.testDraft': (input) => checkDraft(providers, health, desk.probe, input),
    'providers.get': (input) => providers.get(input.idOrName),
    'providers.update': ({ idOrName, revision, ...patch }) => providers.update(idOrName, patch, revision),
    'providers.delete': (input) => providers.remove(input.idOrName, input.revision),
    'keys.create': ({ idOrName, revision, ...key }) => providers.addKey(idOrName, key, revision),
    'keys.createMany': ({ idOrName, revision, keys }) => ({ keys: providers.addKeys(idOrName, keys, revision) }),
    'keys.update': ({ idOrName, keyId, revision, ...patch }) => providers.updateKey(idOrName, keyId, patch, revision),
    'keys.delete': (input) => providers.removeKey(input.idOrName, input.keyId, input.revision),
    'keys.copy': (input) => desk.copyKey(input.idOrName, input.keyId),
    'providers.test': (input) => health.test(input.idOrName, { deep: input.deep, model: input.model, keyId: input.key_id }),
    'providers.checks': (input) => health.history(input.idOrName),
    'checks.recent': (input) => desk.checkTransitions.since(input.after),
    'checks.running': () => ({ running: health.running() }),
    'models.list': (input) => health.models(input.idOrName),
    'models.refresh': (input) => health.refresh(input.idOrName),
    'models.update': (input) => curation.setEnabled(input.idOrName, input.models, input.enabled),
    'models.add': (input) => curation.add(input.idOrName, input.id, input.display_name),
    'models.remove': (input) => curation.remove(input.idOrName, input.models),
    'models.check': (input) => curation.check(input.idOrName, input.model, input.key_id),
    'providers.testAll': (input, ctx) =>
      health.testAll(
        { ...input, timeout_ms: input.timeout_ms ?? desk.preferences.get('testTimeoutSeconds') * 1000 },
        ctx.onProgress,
        ctx.signal,
      ),
    'providers.testAllCancel': (input) => health.cancelTestAll(input.run_id),
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
      if (input.testTimeoutSeconds !== undefined) desk.preferences.set('testTimeoutSeconds', input.testTimeoutSeconds);
      return desk.preferencesView();
    },
    'config.import': ({ dry_run, prune, passphrase, confirm_destinations, ...document }, ctx) =>
      importConfig(desk, ctx.document ?? document, { dryRun: dry_run, prune, passphrase, confirmDestinations: confirm_destinations }),
    'config.export': (input) => exportConfig(desk, input.secrets ?? 'redacted') as OperationOutput<'config.export'>,
    'config.exportEncrypted': (input) => exportEncrypted(desk, input.passphrase, input.kdf),
  };
}
