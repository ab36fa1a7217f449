/** Joins a base URL and a path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Adds query parameters (skipping undefined) to a URL. */
export function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) parsed.searchParams.set(name, String(value));
  return parsed.toString();
}

/** True when the base URL's path already carries an API version segment (/v1, /openai/v1, /v1beta/openai, /api/v2 …). */
export function hasVersionSegment(base: string): boolean {
  try {
    return /\/v\d+[a-z0-9.]*(\/|$)/i.test(new URL(base).pathname);
  } catch {
    return false;
  }
}

/** Removes trailing path segments matching the pattern, e.g. a trailing /v1 or /v1beta. */
export function stripTrailing(base: string, segment: RegExp): string {
  let out = base.replace(/\/+$/, '');
  const pattern = new RegExp(`/(?:${segment.source})$`, segment.flags);
  while (pattern.test(out)) out = out.replace(pattern, '');
  return out;
}

/** Scheme, host and port of a URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
