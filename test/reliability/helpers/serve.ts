/** `provider-desk serve` as a real child process: started on a free port, driven over HTTP, killed however a test likes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../../helpers/cli.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  token: string;
  /** Everything the process printed on stdout and stderr so far. */
  output(): string;
  /** fetch against the server with the token. */
  request(path: string, init?: { method?: string; json?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer>;
  /** Sends the signal and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** The environment for a child: this process's, without anything that would point it at another vault or token. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('PROVIDER_DESK_')) delete env[name];
  return { ...env, ...extra };
}

/** Starts serve on a free port. Without `token` the server makes its own and the token file is read, as a local tool would. */
export async function startServeProcess(
  dataDir: string,
  options: { token?: string; env?: Record<string, string> } = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: childEnv({ ...(options.token ? { PROVIDER_DESK_TOKEN: options.token } : {}), ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  const token = options.token ?? readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
  return {
    child,
    url,
    token,
    output: () => output,
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
      let body: string | undefined;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      const response = await fetch(url + path, { method: init.method ?? 'GET', headers, body });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
