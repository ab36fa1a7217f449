import type { GatewayToken } from '../../core/contract/token-schemas.js';
import { CliError, table } from '../output.js';
import { call, withDesk, type CommonFlags, type Io } from '../context.js';

export interface TokenFlags extends CommonFlags {
  name?: string | undefined;
  scope?: string | undefined;
  providers?: string | undefined;
  expires?: string | undefined;
  all?: boolean | undefined;
}

export const TOKEN_USAGE = `Usage:
  provider-desk token create --name <name> [--scope gateway] [--providers a,b] [--expires 30d] [--json]
  provider-desk token list [--all] [--json]
  provider-desk token revoke <id> [--json]
  provider-desk token [--rotate]          (the main API token)`;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90s`, `15m`, `12h`, `30d`, `2w` (or plain seconds) → seconds. */
export function parseLifetime(text: string): number {
  const match = /^(\d{1,9})([smhdw]?)$/.exec(text.trim());
  if (!match) throw new CliError(`--expires must be a number with a unit s, m, h, d or w (e.g. 30d), not "${text}"`, 2);
  return Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1);
}

/** `provider-desk token create|list|revoke`: scoped tokens for local tools (the gateway). */
export async function tokenCommand(args: string[], flags: TokenFlags, io: Io): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'create':
      return create(flags, io);
    case 'list':
      return list(flags, io);
    case 'revoke':
      return revoke(rest, flags, io);
    default:
      throw new CliError(`Unknown token command "${action ?? ''}".\n${TOKEN_USAGE}`, 2);
  }
}

async function create(flags: TokenFlags, io: Io): Promise<number> {
  if (!flags.name) throw new CliError(`token create needs --name (what the token is for, e.g. --name aider).\n${TOKEN_USAGE}`, 2);
  const input = {
    name: flags.name,
    scope: flags.scope ?? 'gateway',
    ...(flags.providers !== undefined ? { providers: flags.providers.split(',').map((p) => p.trim()) } : {}),
    ...(flags.expires !== undefined ? { expires_in_seconds: parseLifetime(flags.expires) } : {}),
  };
  await withDesk(flags, io, async (desk) => {
    const created = await call(desk, 'tokens.create', input);
    if (flags.json) return io.out(JSON.stringify(created, null, 2));
    // The token alone on stdout, so `$(provider-desk token create …)` captures just it; the rest is for the person.
    io.out(created.token);
    io.err(
      `Token "${created.name}" created (id ${created.id}; ${created.scope}; ${describeProviders(created)}; ${created.expires_at ? `expires ${created.expires_at}` : 'never expires'}).`,
    );
    io.err('It is shown only now. Revoke it with: provider-desk token revoke ' + created.id);
  });
  return 0;
}

async function list(flags: TokenFlags, io: Io): Promise<number> {
  await withDesk(flags, io, async (desk) => {
    const { tokens } = await call(desk, 'tokens.list', { include_revoked: flags.all ?? false });
    if (flags.json) return io.out(JSON.stringify(tokens, null, 2));
    if (tokens.length === 0) return io.out('No gateway tokens. Create one with `provider-desk token create --name <tool>`.');
    io.out(
      table(
        ['ID', 'NAME', 'SCOPE', 'PROVIDERS', 'STATUS', 'EXPIRES', 'LAST USED'],
        tokens.map((t) => [
          t.id,
          t.name,
          t.scope,
          t.providers ? t.providers.join(',') || '(none left)' : 'all',
          t.status,
          t.expires_at ?? 'never',
          t.last_used_at ?? 'never',
        ]),
      ),
    );
  });
  return 0;
}

async function revoke(args: string[], flags: TokenFlags, io: Io): Promise<number> {
  const [id, extra] = args;
  if (!id || extra !== undefined) throw new CliError(`token revoke takes one token id (see provider-desk token list).\n${TOKEN_USAGE}`, 2);
  await withDesk(flags, io, async (desk) => {
    const revoked = await call(desk, 'tokens.delete', { id });
    if (flags.json) return io.out(JSON.stringify(revoked, null, 2));
    io.out(`Token "${revoked.name}" (${revoked.id}) revoked; it no longer works.`);
  });
  return 0;
}

function describeProviders(token: GatewayToken): string {
  return token.providers ? `providers: ${token.providers.join(', ')}` : 'every provider';
}
