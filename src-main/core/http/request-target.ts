/**
 * Which request targets the server routes at all. Fastify's router decodes percent-escapes and accepts absolute-form
 * targets, so `/%61pi/v1/token` or `http://x/api/v1/token` would reach a route while looking like another path to
 * anything that reads the raw URL. We route only targets that are already in normal form: origin-form, no encoded
 * unreserved characters, no encoded or doubled slashes, no backslashes, no dot segments, valid UTF-8, no control
 * characters. Everything else is refused with 400 before any route or auth decision sees it. The query string plays no
 * part in routing and is left to each route's parser.
 */

/** Percent-escapes of RFC 3986 unreserved characters (ALPHA, DIGIT, `-`, `.`, `_`, `~`): normal form writes them plain. */
const ENCODED_UNRESERVED = /%(?:3[0-9]|4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|2D|2E|5F|7E)/i;
/** Escapes of `/` and `\`, which would change how the path splits into segments once decoded. */
const ENCODED_SEPARATOR = /%(?:2F|5C)/i;
/**
 * The one place an encoded `/` is routed: a model id of the gateway's model list (`provider/model`), which the OpenAI
 * SDKs' models.retrieve() encodes as one path segment. That route's wildcard takes the rest of the path whole, and the
 * id is only looked up in the list, so the escape cannot move the request to another route; `\` stays refused.
 */
const ENCODED_SLASH_ALLOWED_UNDER = '/v1/models/';
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why a raw request target must be refused, or null when it may be routed. */
export function requestTargetProblem(target: string | undefined): string | null {
  if (!target) return 'empty request target';
  if (!target.startsWith('/')) return 'only origin-form request targets (starting with "/") are accepted';
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  if (path.includes('\\')) return 'backslash in path';
  if (path.includes('//')) return 'empty path segment ("//")';
  const separatorsChecked = path.startsWith(ENCODED_SLASH_ALLOWED_UNDER) ? path.replace(/%2F/gi, '/') : path;
  if (ENCODED_SEPARATOR.test(separatorsChecked)) return 'encoded "/" or "\\" in path';
  if (ENCODED_UNRESERVED.test(path)) return 'percent-encoded unreserved character in path (send it unencoded)';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'invalid percent-encoding or UTF-8 in path';
  }
  if (CONTROL.test(decoded)) return 'control character in path';
  for (const segment of decoded.split('/')) {
    if (segment === '.' || segment === '..') return 'dot segment in path';
  }
  return null;
}

/** A same-origin path to send the browser to after login; anything that could leave the origin becomes `/`. */
export function sameOriginPath(pathname: string, search: string): string {
  const safe =
    pathname.startsWith('/') && !pathname.startsWith('//') && !/[\\\s]/.test(pathname) && requestTargetProblem(pathname) === null;
  const path = safe ? pathname : '/';
  return search ? `${path}?${search}` : path;
}
