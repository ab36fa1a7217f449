/**
 * The encrypted export: the whole plain document sealed with a passphrase (scrypt or PBKDF2-SHA256, then
 * AES-256-GCM), in a small self-describing JSON envelope whose header is bound to the ciphertext as AAD.
 */
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { MIN_PASSPHRASE_LENGTH } from '../contract/config-schemas.js';
import { DeskError, validationError, type FieldError } from '../contract/errors.js';
import { canonicalJson } from '../service/canonical-json.js';
import { isObject, type JsonObject } from './format.js';
import { CONFIG_ENVELOPE_FORMAT } from '../contract/operations.js';

export const ENVELOPE_FORMAT = CONFIG_ENVELOPE_FORMAT;
export const ENVELOPE_VERSION = 1;
export const MIN_PASSPHRASE = MIN_PASSPHRASE_LENGTH;

/** New exports: scrypt at 128 MiB (N=2^17, r=8), which needs scrypt's `maxmem` raised above Node's 32 MiB default. */
export const SCRYPT_DEFAULT = { N: 2 ** 17, r: 8, p: 1 };
export const PBKDF2_DEFAULT_ITERATIONS = 600_000;

/*
 * What an envelope may ask for on import, checked before any key derivation runs: a crafted file must not make the
 * import spend gigabytes or minutes. Envelopes of older versions (scrypt N=2^15) stay inside these bounds.
 */
const SCRYPT_MIN_N = 2 ** 15;
const SCRYPT_MAX_N = 2 ** 20;
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
/** N·r·p, the scrypt work: at most four times that of the default parameters. */
const MAX_SCRYPT_WORK = 4 * SCRYPT_DEFAULT.N * SCRYPT_DEFAULT.r * SCRYPT_DEFAULT.p;
const PBKDF2_MAX_ITERATIONS = 2_000_000;
const KDF_NAMES = ['scrypt', 'pbkdf2-sha256'] as const;

const b64 = (bytes: number, name: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((v) => Buffer.from(v, 'base64').length >= bytes, `must be at least ${bytes} bytes (${name})`);

/** Bounds keep a crafted file from asking for a weak key or for gigabytes of memory. */
const ScryptKdf = z
  .strictObject({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(SCRYPT_MIN_N, 'must be at least 2^15')
      .max(SCRYPT_MAX_N, 'must be at most 2^20')
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    r: z.number().int().min(8, 'must be at least 8').max(32, 'must be at most 32'),
    p: z.number().int().min(1, 'must be at least 1').max(4, 'must be at most 4'),
    salt: b64(16, 'salt'),
    dklen: z.literal(32).optional(),
  })
  .refine((k) => 128 * k.N * k.r <= MAX_SCRYPT_MEMORY, { path: ['N'], message: 'asks for more than 256 MiB of memory (128·N·r)' })
  .refine((k) => k.N * k.r * k.p <= MAX_SCRYPT_WORK, { path: ['p'], message: 'asks for too much work (N·r·p is at most 2^22)' });
const Pbkdf2Kdf = z.strictObject({
  name: z.literal('pbkdf2-sha256'),
  iterations: z
    .number()
    .int()
    .min(PBKDF2_DEFAULT_ITERATIONS, `must be at least ${PBKDF2_DEFAULT_ITERATIONS}`)
    .max(PBKDF2_MAX_ITERATIONS, `must be at most ${PBKDF2_MAX_ITERATIONS}`),
  salt: b64(16, 'salt'),
  dklen: z.literal(32).optional(),
});
export const KdfSchema = z.discriminatedUnion('name', [ScryptKdf, Pbkdf2Kdf], {
  error: `must name a supported key derivation (${KDF_NAMES.join(' or ')})`,
});
export type Kdf = z.infer<typeof KdfSchema>;

export const EnvelopeSchema = z.object({
  format: z.literal(ENVELOPE_FORMAT),
  version: z.literal(ENVELOPE_VERSION, { message: `is not supported (this version reads version ${ENVELOPE_VERSION})` }),
  kdf: KdfSchema,
  cipher: z.literal('aes-256-gcm'),
  iv: b64(12, 'iv'),
  tag: b64(16, 'tag'),
  ciphertext: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export function isEnvelope(document: JsonObject): boolean {
  return document.format === ENVELOPE_FORMAT;
}

function deriveKey(passphrase: string, kdf: Kdf): Promise<Buffer> {
  const secret = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  const salt = Buffer.from(kdf.salt, 'base64');
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, key: Buffer) => (error ? reject(error) : resolve(key));
    if (kdf.name === 'scrypt') {
      // scrypt refuses to run above `maxmem` (32 MiB by default): allow what these parameters need, which the schema bounds.
      const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 128 * kdf.N * kdf.r + 16 * 1024 * 1024 };
      scrypt(secret, salt, 32, options, done);
    } else {
      pbkdf2(secret, salt, kdf.iterations, 32, 'sha256', done);
    }
  });
}

/** The header the ciphertext is bound to: changing the KDF parameters or the format breaks the tag. */
function aad(kdf: Kdf): Buffer {
  return Buffer.from(canonicalJson({ format: ENVELOPE_FORMAT, version: ENVELOPE_VERSION, kdf, cipher: 'aes-256-gcm' }), 'utf8');
}

export async function sealDocument(document: JsonObject, passphrase: string, kdfName: Kdf['name'] = 'scrypt'): Promise<Envelope> {
  if (passphrase.length < MIN_PASSPHRASE)
    throw validationError([{ path: 'passphrase', message: `must be at least ${MIN_PASSPHRASE} characters` }]);
  const salt = randomBytes(16).toString('base64');
  const kdf: Kdf =
    kdfName === 'scrypt'
      ? { name: 'scrypt', ...SCRYPT_DEFAULT, salt }
      : { name: 'pbkdf2-sha256', iterations: PBKDF2_DEFAULT_ITERATIONS, salt };
  const key = await deriveKey(passphrase, kdf);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(kdf));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(document), 'utf8'), cipher.final()]);
  return {
    format: ENVELOPE_FORMAT,
    version: ENVELOPE_VERSION,
    kdf,
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Opens an envelope; a wrong passphrase (or a changed file) is a validation error on `passphrase`. */
export async function openDocument(raw: JsonObject, passphrase: string | undefined): Promise<JsonObject> {
  const parsed = EnvelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const fields: FieldError[] = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(envelope)', message: i.message }));
    throw validationError(fields, `This encrypted config cannot be read: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`);
  }
  if (!passphrase) {
    throw validationError(
      [{ path: 'passphrase', message: 'is required to open an encrypted config' }],
      'This config is encrypted: give the passphrase it was exported with',
    );
  }
  const envelope = parsed.data;
  const key = await deriveKey(passphrase, envelope.kdf);
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(aad(envelope.kdf));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    text = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw validationError(
      [{ path: 'passphrase', message: 'does not open this file (wrong passphrase, or the file was changed)' }],
      'The passphrase does not open this encrypted config (wrong passphrase, or the file was changed)',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  if (!isObject(document)) throw new DeskError('validation_failed', 'The encrypted config opened but does not hold a JSON object');
  return document;
}
