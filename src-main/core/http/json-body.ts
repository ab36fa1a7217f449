/** Deeper JSON than any real config needs; a deeper body is refused before it can exhaust the stack downstream. */
export const MAX_JSON_DEPTH = 64;

export class BadJsonError extends Error {
  readonly statusCode = 400;
}

/** The deepest nesting of objects and arrays in a JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Parses a request body: undefined when empty, BadJsonError when malformed or nested deeper than MAX_JSON_DEPTH. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new BadJsonError(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadJsonError(error instanceof Error ? error.message : 'unparseable');
  }
}
