import { X509Certificate, hash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, ProxyAgent, Socks5ProxyAgent, buildConnector, type Dispatcher } from 'undici';
import type { NetworkConfig, ProxyConfig } from '../../contract/config-schemas.js';
import { ProbeError } from '../errors.js';
import { guardedConnector, guardedLookup, type Resolver } from './guarded-connect.js';

export interface ProxyEndpoint {
  type: ProxyConfig['type'];
  host: string;
  port: number;
}

export interface RoutedDispatcher {
  dispatcher: Dispatcher;
  /** The proxy in use (null = direct). For `environment`, the proxy from HTTPS_PROXY/HTTP_PROXY if set. */
  proxy: ProxyEndpoint | null;
}

/** Custom CA certificates are added to the system roots, so public hosts keep working. */
function trustStore(pem: string, what: string): string[] | undefined {
  if (!pem.trim()) return undefined;
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no certificate');
    for (const block of blocks) new X509Certificate(block);
  } catch {
    throw new ProbeError({
      errorClass: 'tls_failed',
      httpStatus: null,
      summary: `the ${what} CA certificate is not valid PEM`,
      hint: 'paste the CA certificate as PEM (-----BEGIN CERTIFICATE----- …)',
    });
  }
  return [...rootCertificates, ...blocks];
}

function proxyUrl(proxy: ProxyConfig): URL {
  try {
    return new URL(proxy.url);
  } catch {
    throw new ProbeError({
      errorClass: 'proxy_failed',
      httpStatus: null,
      summary: 'the proxy URL is not valid',
      hint: 'use http://host:port, https://host:port or socks5://host:port',
    });
  }
}

function endpoint(type: ProxyConfig['type'], url: URL): ProxyEndpoint {
  const defaultPort = url.protocol === 'https:' ? 443 : url.protocol.startsWith('socks') ? 1080 : 80;
  return { type, host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || defaultPort };
}

function envProxy(): ProxyEndpoint | null {
  const raw = process.env.HTTPS_PROXY ?? process.env.https_proxy ?? process.env.HTTP_PROXY ?? process.env.http_proxy;
  if (!raw) return null;
  try {
    return endpoint('environment', new URL(raw));
  } catch {
    return null;
  }
}

const MAX_DISPATCHERS = 64;

/**
 * One undici dispatcher per distinct network/proxy configuration, shared by every probe that uses it,
 * so a test of many keys reuses sockets instead of leaking them. `close()` releases them all.
 */
export class DispatcherPool {
  /** Insertion-ordered, so the first entry is the least recently used. */
  private readonly cache = new Map<string, RoutedDispatcher>();

  constructor(private readonly resolve: Resolver) {}

  get(network: NetworkConfig, proxy: ProxyConfig): RoutedDispatcher {
    const timeoutMs = network.default_request_timeout_in_seconds * 1000;
    const key = hash(
      'sha256',
      JSON.stringify([
        network.ca_cert_pem,
        network.insecure_skip_verify,
        network.allow_private_network,
        timeoutMs,
        proxy.type,
        proxy.url,
        proxy.username,
        proxy.password,
        proxy.ca_cert_pem,
      ]),
      'hex',
    );
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const created = this.create(network, proxy, timeoutMs);
    this.cache.set(key, created);
    if (this.cache.size > MAX_DISPATCHERS) {
      // Configs edited over time leave stale entries; close the oldest gracefully (in-flight requests finish).
      const [oldestKey, oldest] = this.cache.entries().next().value as [string, RoutedDispatcher];
      this.cache.delete(oldestKey);
      void oldest.dispatcher.close().catch(() => undefined);
    }
    return created;
  }

  private create(network: NetworkConfig, proxy: ProxyConfig, timeoutMs: number): RoutedDispatcher {
    const ca = trustStore(network.ca_cert_pem, 'custom');
    const tlsOptions = { ...(ca ? { ca } : {}), rejectUnauthorized: !network.insecure_skip_verify };
    const connectTimeout = Math.min(timeoutMs, 30_000);
    const directConnect = guardedConnector(
      buildConnector({ ...tlsOptions, timeout: connectTimeout, lookup: guardedLookup(network.allow_private_network, this.resolve) }),
      network.allow_private_network,
    );
    const pooling = { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 10_000 };
    // The proxy itself is chosen by the user, so its own address is not subject to allow_private_network
    // (corporate proxies usually live on private addresses); the targets behind it are.
    const proxyCa = trustStore(proxy.ca_cert_pem, 'proxy');
    const proxyTls = proxyCa ? { ca: proxyCa } : {};

    if (proxy.type === 'none' || (proxy.type !== 'environment' && !proxy.url)) {
      return { dispatcher: new Agent({ ...pooling, connect: directConnect }), proxy: null };
    }
    if (proxy.type === 'environment') {
      // Hosts matched by NO_PROXY go through the guarded direct connector; proxied ones are pre-checked by the client.
      return {
        dispatcher: new EnvHttpProxyAgent({ ...pooling, connect: directConnect, requestTls: tlsOptions, proxyTls, connectTimeout }),
        proxy: envProxy(),
      };
    }

    const url = proxyUrl(proxy);
    const username = proxy.username || decodeURIComponent(url.username);
    const password = proxy.password || decodeURIComponent(url.password);
    url.username = '';
    url.password = '';

    if (proxy.type === 'socks5' || url.protocol === 'socks5:' || url.protocol === 'socks5h:' || url.protocol === 'socks:') {
      const socksUrl = `socks5://${url.host}`;
      const dispatcher = new Socks5ProxyAgent(socksUrl, {
        ...(username ? { username, password } : {}),
        connectTimeout,
        requestTls: tlsOptions,
      });
      return { dispatcher, proxy: endpoint('socks5', url) };
    }
    const token = username ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined;
    const dispatcher = new ProxyAgent({
      ...pooling,
      uri: url.toString(),
      ...(token ? { token } : {}),
      requestTls: tlsOptions,
      proxyTls,
      connectTimeout,
    });
    return { dispatcher, proxy: endpoint('http', url) };
  }

  async close(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    await Promise.allSettled(all.map((entry) => entry.dispatcher.close()));
  }
}
