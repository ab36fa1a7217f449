import type { Provider } from '@contract/domain-schemas';

/** Stands for a gateway token in the snippets until one is created here; never a provider key. */
export const TOKEN_PLACEHOLDER = '$PROVIDER_DESK_GATEWAY_TOKEN';

export interface Snippet {
  id: string;
  title: string;
  text: string;
}

const EXAMPLE_MODELS: Record<string, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-2.0-flash',
};

/** The type whose API a provider speaks (a custom provider's base type). */
export function dialectOf(provider: Provider): string {
  return provider.custom_provider_config?.base_provider_type ?? provider.type;
}

/**
 * The passthrough base URL an SDK gets (the README's rule): the provider's base URL with its origin replaced by
 * `<api>/proxy/<name>`. The Anthropic and Google GenAI SDKs add their version path themselves, so they get the origin only.
 */
export function proxyBaseUrl(api: string, provider: Provider): string {
  const origin = `${api}/proxy/${encodeURIComponent(provider.name)}`;
  if (['anthropic', 'gemini'].includes(dialectOf(provider))) return origin;
  let path = '';
  try {
    path = new URL(provider.base_url).pathname.replace(/\/+$/, '');
  } catch {
    // No usable base URL stored: the origin alone.
  }
  return origin + path;
}

/** Copy-ready snippets that reach `provider` through the gateway at `api` with `token` (a gateway token or the placeholder). */
export function gatewaySnippets(api: string, provider: Provider, token: string, model?: string): Snippet[] {
  const dialect = dialectOf(provider);
  const base = proxyBaseUrl(api, provider);
  const id = model ?? EXAMPLE_MODELS[dialect] ?? '<model>';
  const shellToken = token === TOKEN_PLACEHOLDER ? token : `'${token}'`;
  const code = (text: string) =>
    token === TOKEN_PLACEHOLDER ? text.replaceAll(`"${TOKEN_PLACEHOLDER}"`, 'os.environ["PROVIDER_DESK_GATEWAY_TOKEN"]') : text;
  const jsToken = token === TOKEN_PLACEHOLDER ? 'process.env.PROVIDER_DESK_GATEWAY_TOKEN' : `'${token}'`;
  const snippets: Snippet[] = [];
  if (dialect === 'anthropic') {
    snippets.push(
      {
        id: 'curl',
        title: 'curl',
        text: `curl ${base}/v1/messages -H "x-api-key: ${shellToken}" -H 'anthropic-version: 2023-06-01' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"model":"${id}","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}'`,
      },
      {
        id: 'anthropic-python',
        title: 'Anthropic SDK, Python',
        text: code(`import os\nfrom anthropic import Anthropic\nclient = Anthropic(base_url="${base}", api_key="${token}")`),
      },
      {
        id: 'anthropic-js',
        title: 'Anthropic SDK, JavaScript',
        text: `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ baseURL: '${base}', apiKey: ${jsToken} });`,
      },
    );
  } else if (dialect === 'gemini') {
    snippets.push(
      {
        id: 'curl',
        title: 'curl',
        text: `curl ${base}/v1beta/models/${id}:generateContent -H "x-goog-api-key: ${shellToken}" \\\n  -H 'Content-Type: application/json' -d '{"contents":[{"parts":[{"text":"Hi"}]}]}'`,
      },
      {
        id: 'genai-python',
        title: 'Google GenAI SDK, Python',
        text: code(`import os\nfrom google import genai\nclient = genai.Client(api_key="${token}", http_options={"base_url": "${base}"})`),
      },
    );
  } else {
    snippets.push({
      id: 'curl',
      title: 'curl',
      text: `curl ${base}/chat/completions -H "Authorization: Bearer ${shellToken}" \\\n  -H 'Content-Type: application/json' \\\n  -d '{"model":"${id}","messages":[{"role":"user","content":"Hi"}]}'`,
    });
  }
  // Every tool that speaks OpenAI reaches this provider through the one OpenAI-compatible endpoint, by model prefix.
  snippets.push(
    {
      id: 'openai-python',
      title: 'OpenAI SDK, Python (model "' + provider.name + '/…")',
      text: code(
        `import os\nfrom openai import OpenAI\nclient = OpenAI(base_url="${api}/v1", api_key="${token}")\nclient.chat.completions.create(model="${provider.name}/${id}", messages=[{"role": "user", "content": "Hi"}])`,
      ),
    },
    {
      id: 'openai-js',
      title: 'OpenAI SDK, JavaScript',
      text: `import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: '${api}/v1', apiKey: ${jsToken} });\nawait client.chat.completions.create({ model: '${provider.name}/${id}', messages: [{ role: 'user', content: 'Hi' }] });`,
    },
    {
      id: 'exec',
      title: 'Any tool, with provider-desk exec (a token for the run, revoked when it exits)',
      text: `provider-desk exec --providers ${provider.name} -- <your tool>\n# sets OPENAI_BASE_URL=${api}/v1 and OPENAI_API_KEY${dialect === 'anthropic' ? `, ANTHROPIC_BASE_URL=${api}/proxy/${provider.name} and ANTHROPIC_API_KEY` : ''}${dialect === 'gemini' ? `, GOOGLE_GEMINI_BASE_URL=${api}/proxy/${provider.name} and GEMINI_API_KEY` : ''}${dialect === 'ollama' ? `, OLLAMA_HOST=${api}/proxy/${provider.name}` : ''}`,
    },
  );
  return snippets;
}
