import { describe, expect, it } from 'vitest';
import { ProviderCreateInput } from '../../src-main/core/contract/provider-inputs.js';
import { monogram } from '../../src-renderer/src/components/common/ProviderIcon.js';
import { DeskClientError } from '../../src-renderer/src/client/desk-client.js';
import { errorMessage, fieldsUnder, formMessage, sentence, validate } from '../../src-renderer/src/lib/errors.js';
import { formatLatency, formatTokens, formatWhen } from '../../src-renderer/src/lib/format.js';
import { healthOf, resultHealth, verdictOf } from '../../src-renderer/src/lib/health.js';
import { formatRoute, parseRoute } from '../../src-renderer/src/lib/route.js';

const check = (over: Record<string, unknown>) =>
  ({
    key_id: null,
    ok: false,
    latency_ms: 5,
    http_status: null,
    error_class: null,
    message: 'm',
    checked_at: '2024-01-01T00:00:00Z',
    ...over,
  }) as never;

describe('renderer helpers', () => {
  it("shows the health the backend computed, and a key's stored health for its check result", () => {
    expect(healthOf({ health: 'degraded' })).toBe('degraded');
    const provider = { health: 'degraded' as const, api_keys: [{ id: 'k1', health: 'missing_env' as const }] as never };
    expect(resultHealth(check({ key_id: 'k1' }), provider)).toBe('missing_env');
    expect(resultHealth(check({ key_id: 'gone' }), provider)).toBe('untested');
    expect(resultHealth(check({ key_id: null }), provider)).toBe('degraded');
    expect(verdictOf(check({ error_class: 'missing_env' }))).toBe('Variable not set');
    expect(verdictOf(check({ error_class: 'quota_exceeded' }))).toBe('Out of quota');
    expect(verdictOf(check({ ok: true }))).toBe('Works');
  });

  it('keeps the place in the URL hash', () => {
    expect(parseRoute('#/providers/abc/network')).toEqual({ view: 'providers', providerId: 'abc', tab: 'network' });
    expect(parseRoute('#/providers/abc/bogus')).toEqual({ view: 'providers', providerId: 'abc', tab: 'general' });
    expect(parseRoute('')).toEqual({ view: 'providers', providerId: null, tab: 'general' });
    expect(parseRoute('#/settings')).toEqual({ view: 'settings' });
    expect(formatRoute({ view: 'providers', providerId: 'a b', tab: 'keys' })).toBe('#/providers/a%20b/keys');
  });

  it('validates with the contract schema into path → message', () => {
    const result = validate(ProviderCreateInput, { name: 'Bad', type: 'openai', network_config: { max_retries: -1 } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.fields).sort()).toEqual(['name', 'network_config.max_retries']);
      expect(fieldsUnder(result.fields, 'network_config')).toEqual({ max_retries: expect.stringMatching(/Too small/) });
    }
    expect(sentence('is required')).toBe('Is required.');
  });

  it('shows readable messages, never bare codes', () => {
    expect(errorMessage(new DeskClientError({ code: 'precondition_failed', message: 'Revision 3 is stale' }))).toMatch(
      /changed elsewhere — reloaded/,
    );
    expect(errorMessage(new DeskClientError({ code: 'internal', message: '' }))).toMatch(/went wrong/);
    expect(
      formMessage(new DeskClientError({ code: 'validation_failed', message: 'x', fields: [{ path: 'name', message: 'bad' }] })),
    ).toMatch(/fields marked/);
    expect(
      formMessage(
        new DeskClientError({
          code: 'conflict',
          message: 'A provider named "a" already exists',
          fields: [{ path: 'name', message: 'is already used' }],
        }),
      ),
    ).toMatch(/already exists/);
  });

  it('formats latency, context windows, times and monograms', () => {
    expect(formatLatency(312)).toBe('312 ms');
    expect(formatLatency(1430)).toBe('1.4 s');
    expect(formatTokens(128_000)).toBe('128K');
    expect(formatTokens(1_048_576)).toBe('1M');
    expect(formatTokens(null)).toBe('—');
    expect(formatWhen(new Date(Date.now() - 5 * 60_000).toISOString())).toBe('5 min ago');
    expect(monogram('OpenAI')).toBe('OA');
    expect(monogram('AWS Bedrock')).toBe('AB');
    expect(monogram('Ollama')).toBe('Ol');
  });
});
