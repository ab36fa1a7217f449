import { Repository } from './store/repository.js';
import { openDatabase, type Db } from './store/database.js';
import { Vault } from './vault/vault.js';
import { keyfileWrapper, type KeyWrapper } from './vault/key-slots.js';
import { ProviderService } from './service/provider-service.js';
import { HealthService } from './service/health-service.js';
import { ApiToken } from './service/api-token.js';
import { createHandlers } from './service/handlers.js';
import { createDispatcher, type Dispatch } from './service/dispatcher.js';
import { createFileLogger, parseLogLevel, type Logger } from './log/logger.js';
import type { ClosableProbeEngine, ProbeEngine } from './probe/types.js';
import { createProbeEngine } from './probe/engine.js';
import { VERSION } from './version.js';
import type { OperationOutput } from './contract/operations.js';
import { DeskError } from './contract/errors.js';
import { confPreferences, type Preferences, type PreferencesData } from './preferences.js';

export interface DeskOptions {
  dataDir: string;
  /** Key slots to unlock the vault with; the keyfile slot is always added so the CLI can open the same store. */
  wrappers?: KeyWrapper[];
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
  readonly dispatch: Dispatch;
  readonly logger: Logger;
  readonly probe: ProbeEngine & Partial<Pick<ClosableProbeEngine, 'close'>>;
  api: { url: string; port: number; enabled: boolean };
  readonly preferences: Preferences;

  constructor(readonly options: DeskOptions) {
    const env = options.env ?? process.env;
    this.logger = options.logger ?? createFileLogger(options.dataDir, parseLogLevel(env.PROVIDER_DESK_LOG_LEVEL));
    this.db = openDatabase(options.dataDir);
    try {
      this.repo = new Repository(this.db);
      const wrappers = [...(options.wrappers ?? [])];
      if (!wrappers.some((w) => w.kind === 'keyfile')) wrappers.push(keyfileWrapper(options.dataDir, env));
      this.vault = this.repo.transaction(() => Vault.open(this.repo, wrappers, env));
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.probe = options.probe ?? createProbeEngine();
    this.providers = new ProviderService(this.repo, this.vault);
    this.health = new HealthService(this.providers, this.probe);
    this.token = new ApiToken(this.repo, this.vault, options.dataDir, env);
    this.api = options.api ?? { url: '', port: 0, enabled: false };
    this.preferences = options.preferences ?? confPreferences(options.dataDir);
    this.dispatch = createDispatcher(createHandlers(this), this.logger);
  }

  info(): OperationOutput<'app.info'> {
    const backend = this.options.keychainBackend ?? null;
    return {
      version: this.version,
      data_dir: this.options.dataDir,
      api: this.api,
      vault: {
        slots: this.vault.slots,
        keychain_backend: backend,
        warning:
          backend === 'basic_text'
            ? 'Your desktop offers no real keychain (Electron reports "basic_text"): the vault key is protected only by a file readable by your user account.'
            : null,
      },
    };
  }

  preferencesView(): { theme: PreferencesData['theme']; apiPort: number; apiEnabled: boolean } {
    return {
      theme: this.preferences.get('theme'),
      apiPort: this.preferences.get('apiPort'),
      apiEnabled: this.preferences.get('apiEnabled'),
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
    await this.probe.close?.();
    if (this.db.open) this.db.close();
  }
}
