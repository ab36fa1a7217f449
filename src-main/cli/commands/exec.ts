import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { constants } from 'node:os';
import { Desk } from '../../core/desk.js';
import { DeskError } from '../../core/contract/errors.js';
import type { Provider } from '../../core/contract/domain-schemas.js';
import { readServerFile } from '../../core/server-file.js';
import { envVariableOf } from '../../core/service/env-refs.js';
import { isKeychainOnlyStore } from '../../core/vault/cli-access.js';
import { CliError, terminalText } from '../output.js';
import { call, dataDirOf, type DeskTarget, type Io } from '../context.js';
import { findStoreOwner } from '../running-app.js';
import type { CliFlags } from '../main.js';
import type { ExtraCommand } from './extra.js';

export const EXEC_USAGE = 'Usage: provider-desk exec [--providers a,b] [--real-keys] -- <command> [args…]';

/** The run's token outlives no tool for long: revoked when the child exits, and expired by then at the latest. */
const RUN_TOKEN_SECONDS = 12 * 3600;

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The type whose API a provider speaks (a custom provider's base type). */
function dialectOf(provider: Provider): string {
  return provider.custom_provider_config?.base_provider_type ?? provider.type;
}

/** The first of the providers that speaks `dialect` (they come sorted by name). */
function firstOf(providers: Provider[], dialect: string): Provider | undefined {
  return providers.find((p) => dialectOf(p) === dialect);
}

/**
 * The variables that point a tool at the gateway with `token`: OpenAI-only tools get the `/v1` endpoint (every
 * provider, models as `provider/model`); the others their provider's passthrough, following the README's base-URL
 * rule per SDK.
 */
export function gatewayVariables(api: string, token: string, providers: Provider[]): Record<string, string> {
  const vars: Record<string, string> = { OPENAI_BASE_URL: `${api}/v1`, OPENAI_API_BASE: `${api}/v1`, OPENAI_API_KEY: token };
  const anthropic = firstOf(providers, 'anthropic');
  if (anthropic) Object.assign(vars, { ANTHROPIC_BASE_URL: `${api}/proxy/${anthropic.name}`, ANTHROPIC_API_KEY: token });
  const gemini = firstOf(providers, 'gemini');
  if (gemini) Object.assign(vars, { GOOGLE_GEMINI_BASE_URL: `${api}/proxy/${gemini.name}`, GEMINI_API_KEY: token });
  const ollama = firstOf(providers, 'ollama');
  if (ollama) vars.OLLAMA_HOST = `${api}/proxy/${ollama.name}`;
  return vars;
}

/** The conventional key variable per type, for `--real-keys`. */
const KEY_VARIABLES: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
  mistral: 'MISTRAL_API_KEY',
  groq: 'GROQ_API_KEY',
  cohere: 'CO_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
  xai: 'XAI_API_KEY',
  perplexity: 'PERPLEXITY_API_KEY',
  cerebras: 'CEREBRAS_API_KEY',
  fireworks: 'FIREWORKS_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  huggingface: 'HF_TOKEN',
};

/** The enabled providers, sorted by name, limited to `--providers` (each of which must exist and be enabled). */
async function allowedProviders(desk: DeskTarget, wanted: string[] | null): Promise<Provider[]> {
  const { items } = await call(desk, 'providers.list', { sort: 'name', order: 'asc', limit: 10_000 });
  const enabled = items.filter((p) => p.enabled);
  if (!wanted) return enabled;
  return wanted.map((name) => {
    const provider = enabled.find((p) => p.name === name);
    if (!provider) {
      const why = items.some((p) => p.name === name) ? 'is disabled' : 'does not exist';
      throw new CliError(`--providers: provider "${name}" ${why} (see provider-desk list)`, 2);
    }
    return provider;
  });
}

function providerList(flags: CliFlags): string[] | null {
  if (flags.providers === undefined) return null;
  const names = flags.providers
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p);
  if (names.length === 0) throw new CliError(`--providers needs at least one provider name.\n${EXEC_USAGE}`, 2);
  return names;
}

/** A token name from the command (names allow letters, digits, spaces and `. _ - @ :`). */
function tokenName(command: string): string {
  const tool = basename(command).replace(/[^A-Za-z0-9 ._\-@:]/g, '_');
  return `exec:${tool}`.slice(0, 64);
}

/**
 * `--real-keys`: the first enabled key of the first provider of each known type, decrypted here — never sent over
 * HTTP, so the CLI must open the store itself.
 */
function realKeyVariables(flags: CliFlags, io: Io, wanted: string[] | null): Promise<Record<string, string>> {
  const dataDir = dataDirOf(flags, io);
  let desk: Desk;
  try {
    desk = new Desk({ dataDir, env: io.env });
  } catch (error) {
    if (isKeychainOnlyStore(error))
      throw new CliError(
        `--real-keys needs to decrypt the keys here, but the vault in ${dataDir} is kept only in the desktop app's OS keychain (keys never travel over HTTP). Use exec without --real-keys, or turn on "Allow command-line access" in the app's Settings → Security.`,
      );
    if (error instanceof DeskError) throw new CliError(error.message);
    throw error;
  }
  const work = async () => {
    const vars: Record<string, string> = {};
    for (const provider of await allowedProviders(desk, wanted)) {
      const variable = KEY_VARIABLES[dialectOf(provider)];
      const key = provider.api_keys.find((k) => k.enabled);
      if (!variable || vars[variable] !== undefined || !key) continue;
      let value = desk.providers.revealKey(provider.id, key.id).value;
      const envName = envVariableOf(value);
      if (envName) {
        const fromEnv = io.env[envName];
        if (!fromEnv) {
          io.err(
            terminalText(`provider-desk: ${variable} not set: key "${key.name}" of ${provider.name} reads ${envName}, which is not set`),
          );
          continue;
        }
        value = fromEnv;
      }
      vars[variable] = value;
    }
    return vars;
  };
  return work().finally(() => desk.close());
}

/** Runs the child with inherited stdio and forwarded signals; resolves with its exit code (128 + signal when killed). */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const done = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      done();
      reject(
        new CliError(
          error.code === 'ENOENT' ? `cannot run "${command}": command not found` : `cannot run "${command}": ${error.message}`,
          127,
        ),
      );
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

/** `provider-desk exec`: runs a tool with the conventional variables pointing at the gateway and a token for this run only. */
const exec: ExtraCommand = {
  name: 'exec',
  usage: 'exec [--providers a,b] -- <cmd>',
  summary: 'Run a command with its LLM variables pointing at the gateway, with a token revoked when it exits (--real-keys)',
  async run(args, flags, io) {
    const [command, ...commandArgs] = args;
    if (!command) throw new CliError(`exec needs a command to run.\n${EXEC_USAGE}`, 2);
    const wanted = providerList(flags);
    if (flags['real-keys']) {
      const vars = await realKeyVariables(flags, io, wanted);
      io.err(
        `provider-desk: warning: --real-keys gives "${terminalText(command, { oneLine: true })}" your real provider keys (${Object.keys(vars).join(', ') || 'none found'}); it can keep or leak them. Prefer exec without --real-keys where the tool can change its base URL.`,
      );
      return runChild(command, commandArgs, { ...io.env, ...vars });
    }
    const dataDir = dataDirOf(flags, io);
    const owner = await findStoreOwner(dataDir, io.env);
    const entry = readServerFile(dataDir);
    if (!owner.found || !entry) {
      const why = !owner.found && owner.why ? ` (${owner.why})` : '';
      throw new CliError(
        `exec points your tool at a running Provider Desk, and none runs on ${dataDir}${why}: start \`provider-desk serve\` or the app.`,
      );
    }
    const desk: DeskTarget = { dispatch: owner.dispatch };
    const providers = await allowedProviders(desk, wanted);
    const created = await call(desk, 'tokens.create', {
      name: tokenName(command),
      scope: 'gateway',
      ...(wanted ? { providers: providers.map((p) => p.name) } : {}),
      expires_in_seconds: RUN_TOKEN_SECONDS,
    });
    // From here on the token is revoked whatever happens to the child (a SIGINT/SIGTERM is forwarded to it, so it exits).
    try {
      return await runChild(command, commandArgs, { ...io.env, ...gatewayVariables(entry.url, created.token, providers) });
    } finally {
      try {
        await call(desk, 'tokens.delete', { id: created.id });
      } catch (error) {
        io.err(
          `provider-desk: the run's token ${created.id} could not be revoked (${error instanceof Error ? error.message : String(error)}); revoke it with: provider-desk token revoke ${created.id}`,
        );
      }
    }
  },
};

export const EXEC_COMMANDS: ExtraCommand[] = [exec];
