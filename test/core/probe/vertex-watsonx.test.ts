import { describe, expect, it } from 'vitest';
import { key, target, useProbeEngine } from './helpers.js';

const { engine, fake } = useProbeEngine();

describe('vertex: the check is scoped to the configured project', () => {
  it('after the token exchange, lists endpoints under projects/{project}/locations/{location}', async () => {
    const f = await fake('vertex', { projects: ['team-project'] });
    const t = target('vertex', f.url, { settings: { project_id: 'team-project', region: 'europe-west4' } });
    const { result, models } = await engine.checkKey(t, key(f.serviceAccountJson));
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(models?.length).toBeGreaterThan(0);
    const [token, project] = f.requests;
    expect(token?.path).toBe('/token');
    expect(project).toMatchObject({
      method: 'GET',
      path: '/v1/projects/team-project/locations/europe-west4/endpoints',
      query: { pageSize: '1' },
    });
    expect(f.tokens.has(String(project?.headers.authorization).replace('Bearer ', ''))).toBe(true);
  });

  it('a service account without access to the project → forbidden, naming the project; nothing is listed', async () => {
    const f = await fake('vertex', { projects: ['team-project'] });
    const t = target('vertex', f.url, { settings: { project_id: 'someone-elses-project', region: 'us-central1' } });
    const { result, models } = await engine.checkKey(t, key(f.serviceAccountJson));
    expect(result).toMatchObject({ ok: false, error_class: 'forbidden', http_status: 403 });
    expect(result.message).toContain('no access to project someone-elses-project');
    expect(result.message).toContain('Permission denied on resource project someone-elses-project');
    expect(result.hint).toContain('someone-elses-project');
    expect(models).toBeNull();
    expect(f.requests.some((r) => r.path === '/v1beta1/publishers/google/models')).toBe(false);
  });

  it('a 404 for the project → not_found, naming it', async () => {
    const f = await fake('vertex', {
      failFirst: [{ status: 404, body: { error: { code: 404, message: 'Project not found', status: 'NOT_FOUND' } } }],
    });
    const { result } = await engine.checkKey(target('vertex', f.url, { settings: f.settings }), key(f.serviceAccountJson));
    expect(result).toMatchObject({ ok: false, error_class: 'not_found', http_status: 404 });
    expect(result.message).toContain('project fake-project');
  });

  it('without a project_id setting, the service account’s own project is checked', async () => {
    const f = await fake('vertex');
    const { result } = await engine.checkKey(target('vertex', f.url, { settings: { region: 'us-central1' } }), key(f.serviceAccountJson));
    expect(result.ok).toBe(true);
    expect(f.requests[1]?.path).toBe('/v1/projects/fake-project/locations/us-central1/endpoints');
  });
});

describe('watsonx: the check needs the project or space', () => {
  it('IAM token, then /ml/v4/deployments with the project_id; then the (public) catalog', async () => {
    const f = await fake('watsonx', { keys: ['ibm-key'], projects: ['proj-1'] });
    const t = target('watsonx', f.url, { settings: { iam_url: f.url, project_id: 'proj-1' } });
    const { result, models } = await engine.checkKey(t, key('ibm-key'));
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(models?.length).toBeGreaterThan(0);
    const [iam, scope, list] = f.requests;
    expect(iam?.path).toBe('/identity/token');
    expect(scope).toMatchObject({ path: '/ml/v4/deployments', query: { project_id: 'proj-1', limit: '1' } });
    expect(scope?.query.version).toBeTruthy();
    expect(f.tokens.has(String(scope?.headers.authorization).replace('Bearer ', ''))).toBe(true);
    expect(list?.path).toBe('/ml/v1/foundation_model_specs');
  });

  it('a key that is not a member of the project → forbidden, naming the project', async () => {
    const f = await fake('watsonx', { keys: ['ibm-key'], projects: ['proj-1'] });
    const t = target('watsonx', f.url, { settings: { iam_url: f.url, project_id: 'proj-2' } });
    const { result, models } = await engine.checkKey(t, key('ibm-key'));
    expect(result).toMatchObject({ ok: false, error_class: 'forbidden', http_status: 403 });
    expect(result.message).toContain('no access to project proj-2');
    expect(models).toBeNull();
  });

  it('a project not linked to a watsonx.ai Runtime → forbidden with IBM’s reason', async () => {
    const f = await fake('watsonx', { keys: ['ibm-key'], projects: ['proj-1'], unlinkedProjects: ['proj-1'] });
    const t = target('watsonx', f.url, { settings: { iam_url: f.url, project_id: 'proj-1' } });
    const { result } = await engine.checkKey(t, key('ibm-key'));
    expect(result).toMatchObject({ ok: false, error_class: 'forbidden' });
    expect(result.message).toContain('project_id proj-1 is not associated with a WML instance');
    expect(result.hint).toContain('watsonx.ai Runtime');
  });

  it('a deployment space: space_id is sent, and a space without access is named', async () => {
    const f = await fake('watsonx', { keys: ['ibm-key'], spaces: ['space-ok'] });
    const ok = await engine.checkKey(target('watsonx', f.url, { settings: { iam_url: f.url, space_id: 'space-ok' } }), key('ibm-key'));
    expect(ok.result.ok).toBe(true);
    expect(f.requests[1]?.query).toMatchObject({ space_id: 'space-ok' });
    const denied = await engine.checkKey(target('watsonx', f.url, { settings: { iam_url: f.url, space_id: 'space-x' } }), key('ibm-key'));
    expect(denied.result).toMatchObject({ ok: false, error_class: 'forbidden' });
    expect(denied.result.message).toContain('no access to space space-x');
  });

  it('neither project nor space → missing_credentials before the key is sent anywhere', async () => {
    const f = await fake('watsonx', { keys: ['ibm-key'] });
    const { result } = await engine.checkKey(target('watsonx', f.url, { settings: { iam_url: f.url } }), key('ibm-key'));
    expect(result).toMatchObject({ ok: false, error_class: 'missing_credentials' });
    expect(result.message).toContain('no project ID or space ID set');
    expect(f.requests).toHaveLength(0);
  });

  it('a wrong key still fails at IAM (the scope check never runs)', async () => {
    const f = await fake('watsonx', { keys: ['ibm-key'] });
    const { result } = await engine.checkKey(target('watsonx', f.url, { settings: f.settings }), key('wrong-ibm-key'));
    expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 400 });
    expect(f.requests.map((r) => r.path)).toEqual(['/identity/token']);
  });
});
