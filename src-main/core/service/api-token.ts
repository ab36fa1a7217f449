import { randomBytes, timingSafeEqual, createHash, hash } from 'node:crypto';
import { writeFileSync, chmodSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { DeskError } from '../contract/errors.js';
import type { Repository } from '../store/repository.js';
import type { Vault } from '../vault/vault.js';

export const TOKEN_ENV = 'PROVIDER_DESK_TOKEN';
export const TOKEN_FILE = 'api-token';
const META_KEY = 'api_token';
const AAD = 'meta:api_token';

/** The local API token: from PROVIDER_DESK_TOKEN, or generated once, sealed in the vault and written to <data-dir>/api-token (0600). */
export class ApiToken {
  /** 'rotated' lets the server drop browser sessions made with the old token. */
  readonly events = new EventEmitter<{ rotated: [] }>();
  private cached: string | undefined;
  /** The store version the cached token was read at: another process (the CLI) may rotate it, which changes the version. */
  private cachedAt = '';
  /** What verify() and generation() derive from the current token, computed once per token rather than per request. */
  private derived: { token: string; digest: Buffer; generation: string } | undefined;

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
    const version = this.repo.version();
    if (this.cached && version === this.cachedAt) return this.cached;
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
    this.cachedAt = this.repo.version();
    return this.cached;
  }

  rotate(): string {
    if (this.fromEnvironment) throw new DeskError('conflict', `The token is set by ${TOKEN_ENV}; change that variable instead`);
    const token = generateToken();
    this.repo.transaction(() => this.repo.setMeta(META_KEY, null, this.vault.sealText(token, AAD)));
    this.writeFile(token);
    this.cached = token;
    this.cachedAt = this.repo.version();
    this.events.emit('rotated');
    return token;
  }

  /**
   * Names the current token without revealing it: browser sessions remember the generation they were opened with and
   * die when it changes, whichever process rotated the token.
   */
  generation(): string {
    return this.derivedFrom(this.current()).generation;
  }

  /** Constant-time comparison (hashing first makes the lengths equal). */
  verify(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const expected = this.derivedFrom(this.current()).digest;
    // One-shot hash: no Hash object per request (this runs on every API call).
    return timingSafeEqual(expected, hash('sha256', candidate, 'buffer'));
  }

  /** The expected digest and the generation of `token`, kept until the token changes (current() notices a rotation). */
  private derivedFrom(token: string): { digest: Buffer; generation: string } {
    if (this.derived?.token !== token) {
      this.derived = {
        token,
        digest: hash('sha256', token, 'buffer'),
        generation: createHash('sha256').update('provider-desk:token-generation:').update(token).digest('base64url').slice(0, 22),
      };
    }
    return this.derived;
  }

  /** Makes sure the token file exists for local tools. */
  ensureFile(): void {
    if (!this.fromEnvironment) this.writeFile(this.current());
  }

  private writeFile(token: string): void {
    const temp = `${this.filePath}.${process.pid}.tmp`;
    // 'wx' never follows a symlink planted under the temp name: the token lands only in a file we created.
    rmSync(temp, { force: true });
    writeFileSync(temp, token + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, this.filePath);
  }
}

function generateToken(): string {
  return `pd_${randomBytes(32).toString('base64url')}`;
}
