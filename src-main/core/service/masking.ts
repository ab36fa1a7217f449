/** What the store keeps about a secret so every surface can mask it without the plaintext: up to 4 chars at each end and the length. */
export interface MaskParts {
  head: string;
  tail: string;
  length: number;
}

export function maskParts(secret: string): MaskParts {
  const chars = [...secret];
  const keep = Math.min(4, Math.floor(chars.length / 2));
  // Secrets under 5 characters keep nothing: no surface shows any of them.
  const visible = chars.length >= 5 ? keep : 0;
  return { head: chars.slice(0, visible).join(''), tail: visible ? chars.slice(-visible).join('') : '', length: chars.length };
}

/** Coder's rule: 4 chars each end if length ≥ 20, 2 if ≥ 10, 1 if ≥ 5, else 0; "..." when nothing can show. */
export function coderMask(parts: MaskParts): string {
  if (parts.length === 0) return '';
  const shown = parts.length >= 20 ? 4 : parts.length >= 10 ? 2 : parts.length >= 5 ? 1 : 0;
  if (shown === 0 || parts.length <= 2 * shown) return '...';
  return `${parts.head.slice(0, shown)}...${parts.tail.slice(-shown)}`;
}

/** Bifrost's rule: all `*` up to 8 characters, else first 4 + 24 `*` + last 4. */
export function bifrostMask(parts: MaskParts): string {
  if (parts.length <= 8) return '*'.repeat(parts.length);
  return `${parts.head.slice(0, 4)}${'*'.repeat(24)}${parts.tail.slice(-4)}`;
}
