/**
 * Canary secrets: unique values planted through one way in each, then searched for, byte by byte, everywhere the app
 * writes or answers. A canary is `sk-canary-<label>-<32 random hex>`; the random core is what identifies it, so a
 * search finds it whole, encoded (base64, hex, UTF-16, URL) or cut (any 12 characters of the core), but not in a
 * mask, which shows at most 4 characters at each end.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Canary {
  label: string;
  value: string;
  core: string;
}

export function makeCanary(label: string): Canary {
  const core = randomBytes(16).toString('hex');
  return { label, value: `sk-canary-${label}-${core}`, core };
}

/** An AWS-style access key id that is still a canary (uppercase letters and digits only). */
export function makeAccessKeyCanary(label: string): Canary {
  const core = randomBytes(16).toString('hex').toUpperCase();
  return { label, value: `AKIA${core}`, core };
}

const cache = new WeakMap<Canary, Buffer[]>();

function needles(canary: Canary): Buffer[] {
  const cached = cache.get(canary);
  if (cached) return cached;
  const out = new Set<string>();
  const add = (text: string) => out.add(text);
  add(canary.value);
  add(canary.core);
  add(encodeURIComponent(canary.value));
  add(Buffer.from(canary.value).toString('hex'));
  // base64 at each of the three alignments a value can have inside a longer encoded text
  for (const prefix of ['', 'x', 'xx']) {
    const encoded = Buffer.from(prefix + canary.value).toString('base64');
    const skip = Math.ceil((prefix.length * 4) / 3) + 1;
    for (const text of [encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_')]) add(text.slice(skip, -4));
  }
  for (let i = 0; i + 12 <= canary.core.length; i++) add(canary.core.slice(i, i + 12));
  const buffers = [...out].map((n) => Buffer.from(n, 'utf8'));
  buffers.push(Buffer.from(canary.value, 'utf16le'));
  cache.set(canary, buffers);
  return buffers;
}

export interface Finding {
  canary: string;
  where: string;
}

/** Every canary found in `bytes` (any needle), labelled with `where`. */
export function scanBytes(bytes: Buffer, canaries: readonly Canary[], where: string): Finding[] {
  const found: Finding[] = [];
  for (const canary of canaries) {
    if (needles(canary).some((needle) => bytes.includes(needle))) found.push({ canary: canary.label, where });
  }
  return found;
}

export function scanText(text: string, canaries: readonly Canary[], where: string): Finding[] {
  return scanBytes(Buffer.from(text, 'utf8'), canaries, where);
}

/** Every file under `dir`, recursively (the SQLite file, -wal, -shm, logs, token file, keyfile, preferences …). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push(path);
  }
  return out;
}

export function scanDir(dir: string, canaries: readonly Canary[], label: string): { findings: Finding[]; files: string[] } {
  const files = filesUnder(dir);
  const findings = files.flatMap((file) => scanBytes(readFileSync(file), canaries, `${label}: ${relative(dir, file)}`));
  return { findings, files: files.map((f) => relative(dir, f)) };
}
