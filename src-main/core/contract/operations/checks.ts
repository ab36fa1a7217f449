import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { CheckResultSchema } from '../domain-schemas.js';
import {
  IdOrName,
  TestInput,
  TestOutput,
  TestAllOutput,
  ModelsOutput,
  EXAMPLE_KEY,
  EXAMPLE_PROVIDER,
  ChecksRecentInput,
  ChecksRecentOutput,
} from '../operation-schemas.js';

/** Connection tests, check history and model lists. */
export const checksOperations = {
  'providers.test': defineOperation({
    summary: 'Test every enabled key (or the keyless endpoint) now',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/test',
    input: TestInput,
    output: TestOutput,
    errors: ['unauthorized', 'validation_failed', 'not_found'],
    tag: 'health',
    example: {
      input: { deep: true, model: 'gpt-4o-mini' },
      output: {
        ok: false,
        health: 'error',
        results: [
          {
            key_id: '0b9c…',
            ok: false,
            latency_ms: 212,
            http_status: 401,
            error_class: 'auth_failed',
            message: '401 from /v1/models — the key was rejected',
            hint: 'check the key or create a new one',
            checked_at: '2026-11-22T08:00:00.000Z',
          },
        ],
      },
    },
  }),
  'providers.checks': defineOperation({
    summary: 'The recent check history of a provider',
    method: 'GET',
    path: '/api/v1/providers/{idOrName}/checks',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: z.object({ checks: z.array(CheckResultSchema) }),
    errors: ['unauthorized', 'not_found'],
    tag: 'health',
    example: {
      output: {
        checks: [
          {
            key_id: '0b9c…',
            ok: false,
            latency_ms: 212,
            http_status: 401,
            error_class: 'auth_failed',
            message: '401 from /v1/models — the key was rejected',
            hint: 'check the key or create a new one',
            checked_at: '2026-11-22T08:00:00.000Z',
          },
        ],
      },
    },
  }),
  'checks.recent': defineOperation({
    summary: 'Keys that started failing (or recovered) in scheduled checks, since a cursor; polled by the browser GUI to notify',
    method: 'GET',
    path: '/api/v1/checks/recent',
    input: ChecksRecentInput,
    output: ChecksRecentOutput,
    errors: ['unauthorized', 'validation_failed'],
    tag: 'health',
    example: {
      input: { after: '9f2c41d7:3' },
      output: {
        events: [
          {
            kind: 'key_started_failing',
            provider: 'openai',
            provider_id: EXAMPLE_PROVIDER.id,
            key_id: EXAMPLE_KEY.id,
            key_name: 'work',
            result: {
              key_id: EXAMPLE_KEY.id,
              ok: false,
              latency_ms: 212,
              http_status: 401,
              error_class: 'auth_failed',
              message: '401 from /v1/models — the key was rejected',
              hint: 'the key was rejected; check it or create a new one',
              checked_at: '2026-11-22T08:15:00.000Z',
            },
            message: "Key 'work' of openai stopped working: 401 — the key was rejected",
            at: '2026-11-22T08:15:00.000Z',
          },
        ],
        cursor: '9f2c41d7:4',
      },
    },
  }),
  'models.list': defineOperation({
    summary: 'The stored model list (fetched first when none is stored; 502 when the upstream fails)',
    method: 'GET',
    path: '/api/v1/providers/{idOrName}/models',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: ModelsOutput,
    errors: ['unauthorized', 'not_found', 'upstream_failed'],
    tag: 'models',
    example: {
      output: {
        models: [
          {
            id: 'gpt-4o-mini',
            display_name: 'gpt-4o-mini',
            capabilities: ['chat', 'vision', 'tools'],
            context_window: 128000,
            owned_by: 'openai',
          },
        ],
        fetched_at: '2026-11-22T08:00:00.000Z',
      },
    },
  }),
  'models.refresh': defineOperation({
    summary: 'Fetch the model list from the provider now',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/models/refresh',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: ModelsOutput,
    errors: ['unauthorized', 'not_found', 'upstream_failed', 'conflict'],
    tag: 'models',
    example: {
      output: {
        models: [
          {
            id: 'claude-sonnet-4-5',
            display_name: 'Claude Sonnet 4.5',
            capabilities: ['chat', 'vision'],
            context_window: null,
            owned_by: 'anthropic',
          },
        ],
        fetched_at: '2026-11-22T08:00:00.000Z',
      },
    },
  }),
  'providers.testAll': defineOperation({
    summary: 'Test every enabled provider in parallel, streaming progress',
    method: 'POST',
    path: '/api/v1/test-all',
    input: z.object({ concurrency: z.number().int().min(1).max(256).optional(), only: z.array(z.string()).optional() }).strict(),
    output: TestAllOutput,
    errors: ['unauthorized', 'validation_failed'],
    streams: true,
    tag: 'health',
    example: {
      input: { concurrency: 8 },
      output: {
        total: 2,
        passed: 1,
        failed: 1,
        duration_ms: 640,
        by_health: { ok: 1, degraded: 0, error: 0, offline: 1, untested: 0 },
        providers: [],
      },
    },
  }),
} as const;
