import { Repository } from './store/repository.js';
import { DB_FILE, openDatabase, setBusyTimeout, type Db } from './store/database.js';
import type { Vault } from './vault/vault.js';
import { MASTER_KEY_FILE, type KeyWrapper } from './vault/key-slots.js';
import { cliAccessConfigurable, cliAccessOn, openVault, setCliAccess, type SlotPolicy } from './vault/cli-access.js';
import { ProviderService } from './service/provider-service.js';
import { HealthService } from './service/health-service.js';
import { ApiToken, TOKEN_FILE } from './service/api-token.js';
import { TokenService } from './service/tokens.js';
import { UsageService } from './service/usage-service.js';
import { TokenRepository } from './store/token-repository.js';
import { UsageRepository } from './store/usage-repository.js';
import { createHandlers } from './service/handlers.js';
import { createDispatcher, type Dispatch } from './service/dispatcher.js';
import { createFileLogger, parseLogLevel, type Logger } from './log/logger.js';
import type { ClosableProbeEngine, ProbeEngine } from './probe/types.js';
import { lazyProbeEngine } from './probe/lazy-engine.js';
import { VERSION } from './version.js';
import type { OperationOutput } from './contract/operations.js';
import { DeskError } from './contract/errors.js';
import { checkIntervalMinutesOf, confPreferences, type Preferences, type PreferencesData } from './preferences.js';
import { CheckTransitionLog } from './service/check-transitions.js';
import { ensureDataDir } from './data-dir.js';
import { assertPrivateDataDir } from './data-dir-permissions.js';
import { SERVER_FILE } from './server-file.js';
import { ChangeFeed, changeEventOf } from './service/change-feed.js';
import { DataVersionWatch } from './service/data-version-watch.js';
import type { ApiInfo, HttpDeps } from './http/deps.js';

/** The files of a data dir that hold or guard secrets; each must be private to its owner (StrictModes). */
export const PRIVATE_FILES = [MASTER_KEY_FILE, DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, TOKEN_FILE, SERVER_FILE] as const;

export interface DeskOptions {
  dataDir: string;
  /** Key slots to unlock the vault with (the app's os-keychain); a keyfile slot is added unless `keychainOnly`. */
  wrappers?: KeyWrapper[];
  /**
   * The desktop app with a real OS keychain: the data key lives only in the os-keychain slot, plus a keyfile slot while
   * the user allows command-line access (SPEC §4). Headless and with a `basic_text` keychain the keyfile slot stays.
   */
  keychainOnly?: boolean;
  env?: NodeJS.ProcessEnv;
  probe?: ProbeEngine;
  logger?: Logger;
  /** Filled in by whoever runs the HTTP server, for app.info. */
  api?: { url: string; port: number; enabled: boolean };
  keychainBackend?: string | null;
  /** UI preferences (electron-store in the app, conf headless). */
  preferences?: Preferences;
  /** The desktop clipboard (the shell gives Electron's); without it keys cannot be copied. */
  clipboard?: Clipboard;
  /**
   * How long SQLite may block this process on another's write lock once the store is open (default: the full 10 s).
   * The app gives a short one: its dispatcher waits out the rest without blocking the event loop.
   */
  busyTimeoutMs?: number;
  /**
   * A process that lives on after the command that opened the store (`serve`, the app): it frees what a large
   * test-all run left in memory once the run has answered (see TestAllRunner). A one-command CLI process exits instead.
   */
  longLived?: boolean;
}

export interface Clipboard {
  writeText(text: string): void;
  readText(): string | Promise<string>;
  clear(): void;
}

export const CLIPBOARD_CLEAR_SECONDS = 30;

/** The whole backend, without Electron: store, vault, services, dispatcher. The app, the headless server and the CLI all open one. */
export class Desk {
  readonly version = VERSION;
  readonly db: Db;
  readonly repo: Repository;
  readonly vault: Vault;
  readonly providers: ProviderService;
  readonly health: HealthService;
  readonly token: ApiToken;
  /** Scoped gateway tokens for local tools. */
  readonly tokens: TokenService;
  /** Gateway usage counters per key and token, written in batches. */
  readonly usage: UsageService;
  readonly dispatch: Dispatch;
  readonly logger: Logger;
  readonly probe: ProbeEngine & Partial<Pick<ClosableProbeEngine, 'close'>>;
  api: ApiInfo;
  readonly preferences: Preferences;
  /** What scheduled checks found (keys that started failing or recovered), for `checks.recent`. */
  readonly checkTransitions = new CheckTransitionLog();
  /** Every change to the store, this process's own and (through data_version) other processes': IPC and SSE follow it. */
  readonly changes = new ChangeFeed();
  /** What the HTTP server gets: the dispatcher and the services it calls, never the store or the vault. */
  readonly http: HttpDeps;

  private readonly slotPolicy: SlotPolicy;

  constructor(readonly options: DeskOptions) {
    const env = options.env ?? process.env;
    // Before anything is read or written: a data dir another account could have tampered with is refused.
    ensureDataDir(options.dataDir);
    assertPrivateDataDir(options.dataDir, PRIVATE_FILES);
    this.logger = options.logger ?? createFileLogger(options.dataDir, parseLogLevel(env.PROVIDER_DESK_LOG_LEVEL));
    this.db = openDatabase(options.dataDir);
    this.slotPolicy = { dataDir: options.dataDir, env, wrappers: options.wrappers ?? [], keychainOnly: options.keychainOnly ?? false };
    try {
      this.repo = new Repository(this.db);
      this.vault = openVault(this.repo, this.slotPolicy);
      if (options.busyTimeoutMs !== undefined) setBusyTimeout(this.db, options.busyTimeoutMs);
    } catch (error) {
      this.db.close();
      throw error;
    }
    // Loaded on the first check: commands that never probe (list, token) never load undici.
    this.probe = options.probe ?? lazyProbeEngine(async () => (await import('./probe/engine.js')).createProbeEngine());
    this.providers = new ProviderService(this.repo, this.vault);
    // env.VAR references resolve with the environment this process (the store's owner when it serves) was started with.
    this.health = new HealthService(this.repo, this.vault, this.providers, this.probe, { env, collectAfterLargeRuns: options.longLived });
    this.token = new ApiToken(this.repo, this.vault, options.dataDir, env);
    const tokenRows = new TokenRepository(this.db);
    this.tokens = new TokenService(this.repo, tokenRows, this.vault);
    this.usage = new UsageService(this.repo, new UsageRepository(this.db), tokenRows, this.tokens, this.logger);
    this.api = options.api ?? { url: '', port: 0, enabled: false };
    this.preferences = options.preferences ?? confPreferences(options.dataDir);
    this.dispatch = createDispatcher(createHandlers(this), this.logger);
    this.providers.events.on('changed', (change) => this.changes.publish(changeEventOf(change)));
    this.changes.addSource(
      new DataVersionWatch(
        () => (this.db.open ? (this.db.pragma('data_version', { simple: true }) as number) : undefined),
        () => this.changes.publish({ type: 'store.changed' }),
      ),
    );
    const repo = this.repo;
    const db = this.db;
    this.http = {
      version: this.version,
      dispatch: this.dispatch,
      token: this.token,
      tokens: this.tokens,
      usage: this.usage,
      providers: this.providers,
      health: this.health,
      changes: this.changes,
      logger: this.logger,
      store: { version: () => repo.version(), sharingVersion: (work) => repo.sharingVersion(work), writing: () => db.inTransaction },
      api: {
        get: () => this.api,
        set: (api) => {
          this.api = api;
        },
      },
    };
  }

  info(): OperationOutput<'app.info'> {
    const backend = this.options.keychainBackend ?? null;
    return {
      version: this.version,
      data_dir: this.options.dataDir,
      api: this.api,
      vault: {
        slots: this.vault.slots,
        cli_access: cliAccessOn(this.vault),
        cli_access_configurable: cliAccessConfigurable(this.slotPolicy),
        keychain_backend: backend,
        warning:
          backend === 'basic_text'
            ? 'Your desktop offers no real keychain (Electron reports "basic_text"): the vault key is protected only by a file readable by your user account.'
            : null,
      },
    };
  }

  /** "Allow command-line access": keeps the data key also in master.key (on) or only in the OS keychain (off). */
  setCliAccess(enabled: boolean): OperationOutput<'app.info'> {
    setCliAccess(this.repo, this.vault, this.slotPolicy, enabled);
    this.logger.info(enabled ? 'command-line access turned on' : 'command-line access turned off');
    return this.info();
  }

  preferencesView(): {
    theme: PreferencesData['theme'];
    apiPort: number;
    apiEnabled: boolean;
    checkIntervalMinutes: number;
    testTimeoutSeconds: number;
  } {
    return {
      theme: this.preferences.get('theme'),
      apiPort: this.preferences.get('apiPort'),
      apiEnabled: this.preferences.get('apiEnabled'),
      checkIntervalMinutes: checkIntervalMinutesOf(this.preferences),
      testTimeoutSeconds: this.preferences.get('testTimeoutSeconds'),
    };
  }

  /** Puts a key on the clipboard and takes it off again after 30 s, unless the user copied something else meanwhile. */
  copyKey(idOrName: string, keyId: string): { copied: true; clears_in_seconds: number } {
    const clipboard = this.options.clipboard;
    if (!clipboard) throw new DeskError('forbidden', 'Copying keys is available in the desktop app only');
    const { value } = this.providers.revealKey(idOrName, keyId);
    clipboard.writeText(value);
    setTimeout(async () => {
      if ((await clipboard.readText()) === value) clipboard.clear();
    }, CLIPBOARD_CLEAR_SECONDS * 1000).unref();
    return { copied: true, clears_in_seconds: CLIPBOARD_CLEAR_SECONDS };
  }

  async close(): Promise<void> {
    this.changes.close();
    // Counters still in memory are written while the store is open.
    if (this.db.open) this.usage.close();
    await this.probe.close?.();
    this.repo.closeVersion();
    if (this.db.open) this.db.close();
  }
}
