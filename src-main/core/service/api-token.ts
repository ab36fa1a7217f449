import { randomBytes, createHash } from 'node:crypto';
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
  private derived: { token: string; generation: string; bearer: string | null } | undefined;

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

  /** The token, as of the store's `version` when the caller has just read it (the API's fast path does). */
  current(version = this.repo.version()): string {
    const fromEnv = this.env[TOKEN_ENV];
    if (fromEnv) return fromEnv;
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

  /** Whether `candidate` is the token, in constant time. */
  verify(candidate: string | undefined): boolean {
    if (!candidate) return false;
    return equalInConstantTime(candidate, this.current());
  }

  /**
   * Whether an Authorization value is exactly `Bearer <token>` (as of the store's `version`), in constant time: a form
   * presentedToken() reads as this token. Never for a token with whitespace in it (an odd PROVIDER_DESK_TOKEN), which
   * presentedToken() would read differently: that one is checked by verify() only.
   */
  verifyBearer(authorization: string, version?: string): boolean {
    const expected = this.derivedFrom(this.current(version)).bearer;
    return expected !== null && equalInConstantTime(authorization, expected);
  }

  /** What is derived from `token` (its generation, its Authorization value), kept until the token changes (current() notices a rotation). */
  private derivedFrom(token: string): { generation: string; bearer: string | null } {
    if (this.derived?.token !== token) {
      this.derived = {
        token,
        bearer: /\s/.test(token) ? null : `Bearer ${token}`,
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

/**
 * Compares a presented secret with the expected one: the time taken depends only on the expected one's length, never
 * on how much of it the candidate got right. No hashing or buffers: it runs on every API request.
 */
export function equalInConstantTime(candidate: string, expected: string): boolean {
  let difference = candidate.length ^ expected.length;
  // Past the candidate's end charCodeAt gives NaN, which `^` reads as 0: the length difference above already counts.
  for (let i = 0; i < expected.length; i++) difference |= candidate.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

function generateToken(): string {
  return `pd_${randomBytes(32).toString('base64url')}`;
}
