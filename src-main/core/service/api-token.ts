import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { writeFileSync, chmodSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { DeskError } from '../contract/errors.js';
import type { Repository } from '../store/repository.js';
import type { Vault } from '../vault/vault.js';

export const TOKEN_ENV = 'PROVIDER_DESK_TOKEN';
export const TOKEN_FILE = 'api-token';
const META_KEY = 'api_token';
const AAD = 'meta:api_token';
/** Another process (the CLI) may rotate the token; re-read it this often. */
const RECHECK_MS = 1000;

/** The local API token: from PROVIDER_DESK_TOKEN, or generated once, sealed in the vault and written to <data-dir>/api-token (0600). */
export class ApiToken {
  /** 'rotated' lets the server drop browser sessions made with the old token. */
  readonly events = new EventEmitter<{ rotated: [] }>();
  private cached: string | undefined;
  private checkedAt = 0;

  constructor(
    private readonly repo: Repository,
    private readonly vault: Vault,
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get fromEnvironment(): boolean {
    return Boolean(this.env[TOKEN_ENV]);
  }

  get filePath(): string {
    return join(this.dataDir, TOKEN_FILE);
  }

  current(): string {
    const fromEnv = this.env[TOKEN_ENV];
    if (fromEnv) return fromEnv;
    if (this.cached && Date.now() - this.checkedAt < RECHECK_MS) return this.cached;
    const stored = this.repo.getMeta(META_KEY);
    if (stored?.sealed) {
      this.cached = this.vault.openText(stored.sealed, AAD);
    } else {
      this.cached = this.repo.transaction(() => {
        const again = this.repo.getMeta(META_KEY);
        if (again?.sealed) return this.vault.openText(again.sealed, AAD);
        const token = generateToken();
        this.repo.setMeta(META_KEY, null, this.vault.sealText(token, AAD));
        return token;
      });
      this.writeFile(this.cached);
    }
    this.checkedAt = Date.now();
    return this.cached;
  }

  rotate(): string {
    if (this.fromEnvironment) throw new DeskError('conflict', `The token is set by ${TOKEN_ENV}; change that variable instead`);
    const token = generateToken();
    this.repo.transaction(() => this.repo.setMeta(META_KEY, null, this.vault.sealText(token, AAD)));
    this.writeFile(token);
    this.cached = token;
    this.checkedAt = Date.now();
    this.events.emit('rotated');
    return token;
  }

  /** Constant-time comparison (hashing first makes the lengths equal). */
  verify(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const expected = createHash('sha256').update(this.current()).digest();
    const given = createHash('sha256').update(candidate).digest();
    return timingSafeEqual(expected, given);
  }

  /** Makes sure the token file exists for local tools. */
  ensureFile(): void {
    if (!this.fromEnvironment) this.writeFile(this.current());
  }

  private writeFile(token: string): void {
    const temp = `${this.filePath}.${process.pid}.tmp`;
    writeFileSync(temp, token + '\n', { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.filePath);
  }
}

function generateToken(): string {
  return `pd_${randomBytes(32).toString('base64url')}`;
}
