/**
 * The error collector every config.json reader shares: readers report each invalid field with its path and carry on,
 * so that one import lists every problem in the file rather than stopping at the first.
 */
import type { z } from 'zod';
import type { FieldError } from '../contract/errors.js';
import { isObject, jsonPath, type Path } from './format.js';

export class Collector {
  readonly errors: FieldError[] = [];

  add(path: Path, message: string): void {
    this.errors.push({ path: jsonPath(path), message });
  }

  /** An optional string within bounds (hand-written: these run once per key of files with thousands of providers). */
  string(value: unknown, path: Path, field: string, min: number, max: number): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.add([...path, field], 'must be a string');
    else if (value.length < min) this.add([...path, field], 'must not be empty');
    else if (value.length > max) this.add([...path, field], `must be at most ${max} characters`);
    else return value;
    return undefined;
  }

  boolean(value: unknown, path: Path, field: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.add([...path, field], 'must be true or false');
    return undefined;
  }

  strings(value: unknown, path: Path, field: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.add([...path, field], 'must be an array of strings');
      return undefined;
    }
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item !== 'string') this.add([...path, field, index], 'must be a string');
      else if (item === '') this.add([...path, field, index], 'must not be empty');
    }
    return value as string[];
  }

  private readonly memo = new Map<z.ZodType, Map<string, { data: unknown } | { issues: z.core.$ZodIssue[] }>>();

  /**
   * parse() for blocks that repeat across providers (network, concurrency, base URLs): the schemas are pure, so each
   * distinct value is validated once per document. Callers get their own shallow copy of an object result.
   */
  parseRepeated<S extends z.ZodType>(schema: S, value: unknown, parent: Path, ...fields: string[]): z.output<S> | undefined {
    let cache = this.memo.get(schema);
    if (!cache) this.memo.set(schema, (cache = new Map()));
    const key = JSON.stringify(value);
    let entry = cache.get(key);
    if (!entry) {
      const result = schema.safeParse(value);
      entry = result.success ? { data: result.data } : { issues: result.error.issues };
      cache.set(key, entry);
    }
    if ('issues' in entry) {
      for (const issue of entry.issues) this.add([...parent, ...fields, ...(issue.path as Path)], issue.message);
      return undefined;
    }
    return (isObject(entry.data) ? { ...entry.data } : entry.data) as z.output<S>;
  }

  /** Parses with a schema, reporting its issues under `path`; undefined when invalid. */
  parse<S extends z.ZodType>(schema: S, value: unknown, parent: Path, ...fields: string[]): z.output<S> | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) this.add([...parent, ...fields, ...(issue.path as Path)], issue.message);
    return undefined;
  }
}
