import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DeskError, validationError, type FieldError } from '../contract/errors.js';
import type { GatewayToken, TokenCreateInput } from '../contract/token-schemas.js';
import type { Repository } from '../store/repository.js';
import type { TokenRepository, TokenRow } from '../store/token-repository.js';
import type { Vault } from '../vault/vault.js';

/** Every gateway token starts so: a tool's config, a log line or a leak scanner can tell it from a provider key. */
export const GATEWAY_TOKEN_PREFIX = 'pdg_';
const DERIVATION_META = 'gateway_token_key';
const DERIVATION_AAD = 'meta:gateway_token_key';

/** Who a gateway request speaks for: set on the request by the auth hook (http/gateway-auth.ts). */
export interface GatewayIdentity {
  id: string;
  name: string;
  /** Provider names the token may use; null: every provider. */
  providers: string[] | null;
}

export type TokenCheck = { ok: true; identity: GatewayIdentity } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

export type CreatedToken = GatewayToken & { token: string };

/**
 * Scoped tokens for local tools. Only a SHA-256 digest of each token is stored (a 256-bit random value needs no slow
 * KDF). The token is an HMAC of its id under one random key sealed in the vault, so the server can recompute it
 * when a request is signed with it (SigV4 uses the token as its secret, and a signature cannot be checked against a
 * digest); the digest alone is what a bearer token is checked against.
 */
export class TokenService {
  private derivationKey: Buffer | undefined;

  constructor(
    private readonly repo: Repository,
    private readonly tokens: TokenRepository,
    private readonly vault: Vault,
    private readonly now: () => Date = () => new Date(),
  ) {}

  create(input: TokenCreateInput): CreatedToken {
    const providerIds = input.providers ? this.providerIds(input.providers) : null;
    const createdAt = this.now();
    const id = randomUUID();
    const token = this.tokenFor(id);
    const row: TokenRow = {
      id,
      name: input.name,
      scope: input.scope,
      token_hash: digest(token),
      providers: providerIds ? JSON.stringify(providerIds) : null,
      created_at: createdAt.toISOString(),
      expires_at:
        input.expires_in_seconds === undefined ? null : new Date(createdAt.getTime() + input.expires_in_seconds * 1000).toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    this.repo.transaction(() => this.tokens.insertToken(row));
    return { ...this.view(row), token };
  }

  list(includeRevoked = false): GatewayToken[] {
    return this.tokens.listTokens(includeRevoked).map((row) => this.view(row));
  }

  get(id: string): GatewayToken {
    return this.view(this.row(id));
  }

  /** Revokes at once (every request looks the token up); revoking a revoked token changes nothing. */
  revoke(id: string): GatewayToken {
    this.row(id);
    this.repo.transaction(() => this.tokens.revokeToken(id, this.now().toISOString()));
    return this.view(this.row(id));
  }

  /** Checks a presented bearer value: looked up by its digest, compared in constant time, then revocation and expiry. */
  check(presented: string | undefined): TokenCheck {
    if (!presented?.startsWith(GATEWAY_TOKEN_PREFIX)) return { ok: false, reason: 'unknown' };
    const given = digest(presented);
    const row = this.tokens.findTokenByHash(given);
    if (!row || !timingSafeEqual(row.token_hash, given)) return { ok: false, reason: 'unknown' };
    return this.checkRow(row);
  }

  /**
   * The tokens a SigV4 signature may have been made with, each recomputed from its id: the one named by the access
   * key id, or, for the generic access key id, every token that is still active (a handful on one machine).
   */
  signingCandidates(accessKeyId: string, generic: boolean): Array<{ id: string; secret: string }> {
    const ids = generic ? this.tokens.activeTokenIds(this.now().toISOString()) : [accessKeyId];
    return ids.filter((id) => this.tokens.findToken(id) !== undefined).map((id) => ({ id, secret: this.tokenFor(id) }));
  }

  /** The identity of a token proven some other way (a SigV4 signature), if it is still active. */
  checkId(id: string): TokenCheck {
    const row = this.tokens.findToken(id);
    return row ? this.checkRow(row) : { ok: false, reason: 'unknown' };
  }

  private checkRow(row: TokenRow): TokenCheck {
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
    if (isExpired(row, this.now())) return { ok: false, reason: 'expired' };
    return { ok: true, identity: { id: row.id, name: row.name, providers: this.providerNamesOf(row) } };
  }

  private row(id: string): TokenRow {
    const row = this.tokens.findToken(id);
    if (!row) throw new DeskError('not_found', `No token with id "${id}"`);
    return row;
  }

  private view(row: TokenRow): GatewayToken {
    return {
      id: row.id,
      name: row.name,
      scope: 'gateway',
      providers: this.providerNamesOf(row),
      created_at: row.created_at,
      expires_at: row.expires_at,
      last_used_at: row.last_used_at,
      revoked_at: row.revoked_at,
      status: row.revoked_at !== null ? 'revoked' : isExpired(row, this.now()) ? 'expired' : 'active',
    };
  }

  /** Stored as ids, shown as names: a renamed provider stays allowed, a deleted one drops out. */
  private providerNamesOf(row: TokenRow): string[] | null {
    if (row.providers === null) return null;
    return this.tokens.providerNames(JSON.parse(row.providers) as string[]);
  }

  /** Provider names or ids to ids; every unknown one is named by its index in `providers`. */
  private providerIds(references: readonly string[]): string[] {
    const ids: string[] = [];
    const fields: FieldError[] = [];
    references.forEach((reference, index) => {
      const provider = this.repo.findProvider(reference);
      if (provider) ids.push(provider.id);
      else fields.push({ path: `providers[${index}]`, message: `no provider named "${reference}"` });
    });
    if (fields.length > 0) throw validationError(fields);
    return [...new Set(ids)];
  }

  private tokenFor(id: string): string {
    const mac = createHmac('sha256', this.key()).update(`provider-desk:gateway-token:${id}`).digest('base64url');
    return `${GATEWAY_TOKEN_PREFIX}${mac}`;
  }

  /** Created once per store, sealed like every secret; a second process creating it at the same time keeps the first. */
  private key(): Buffer {
    if (this.derivationKey) return this.derivationKey;
    const read = () => {
      const stored = this.repo.getMeta(DERIVATION_META);
      return stored?.sealed ? Buffer.from(this.vault.openText(stored.sealed, DERIVATION_AAD), 'base64') : undefined;
    };
    this.derivationKey =
      read() ??
      this.repo.transaction(() => {
        const again = read();
        if (again) return again;
        const fresh = randomBytes(32);
        this.repo.setMeta(DERIVATION_META, null, this.vault.sealText(fresh.toString('base64'), DERIVATION_AAD));
        return fresh;
      });
    return this.derivationKey;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function isExpired(row: TokenRow, now: Date): boolean {
  return row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime();
}
