/**
 * Provider names as people type them, turned into the slug the backend accepts (lowercase letters and digits, words
 * joined by single dashes or underscores: NAME_PATTERN in the contract), and the next free name when one is taken.
 */

/** The longest name the backend accepts. */
export const NAME_MAX = 64;

/** The name rule in words, shown under the field (never the regex). */
export const NAME_RULE = 'Lowercase letters, digits, dashes and underscores; tools use it in URLs like /proxy/openai-2.';

/**
 * "Bad Name" → "bad-name". Accents are dropped to their letter, spaces and dots become dashes, anything else outside
 * `[a-z0-9_-]` goes, runs of separators collapse to one, and leading separators go. While typing a trailing separator
 * stays (so "bad " can become "bad-name"); the finished name loses it.
 */
export function slugifyName(text: string, options: { typing?: boolean } = {}): string {
  let slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s.]+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/([-_])[-_]+/g, '$1')
    .replace(/^[-_]+/, '')
    .slice(0, NAME_MAX);
  if (!options.typing) slug = slug.replace(/[-_]+$/, '');
  return slug;
}

/** `openai-7` → { root: 'openai', number: 7 }; a name without a number suffix is number 1. */
function splitNumbered(name: string): { root: string; number: number } {
  const match = /^(.+?)-(\d+)$/.exec(name);
  return match ? { root: match[1] as string, number: Number(match[2]) } : { root: name, number: 1 };
}

/** `root-n` (just `root` for 1), the root shortened so that the whole stays within NAME_MAX. */
export function numberedName(root: string, n: number): string {
  if (n <= 1) return root.slice(0, NAME_MAX);
  const suffix = `-${n}`;
  return `${root.slice(0, NAME_MAX - suffix.length).replace(/[-_]+$/, '')}${suffix}`;
}

/**
 * The first free name from `name` on: `name` itself when free, else `openai-2`, `openai-3`… (after a taken `openai-4`
 * comes `openai-5`). `isTaken` may ask the backend; at most `tries` names are asked about.
 */
export async function nextFreeName(name: string, isTaken: (candidate: string) => boolean | Promise<boolean>, tries = 200): Promise<string> {
  if (!(await isTaken(name))) return name;
  const { root, number } = splitNumbered(name);
  for (let n = Math.max(number, 1) + 1; n < number + 1 + tries; n++) {
    const candidate = numberedName(root, n);
    if (!(await isTaken(candidate))) return candidate;
  }
  return numberedName(root, number + 1 + tries);
}
