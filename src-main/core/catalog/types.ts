/** What a provider type can be used for; the vocabulary shared by the catalog, Agent Stack and the GUI. */
export const PROVIDER_CAPABILITIES = ['llm', 'embedding', 'rerank', 'audio', 'image', 'video'] as const;
export type ProviderCapability = (typeof PROVIDER_CAPABILITIES)[number];

/** How a family proves a key and lists models (see ../shared/specs/providers.md). */
export type ModelListFamily =
  | 'openai'
  | 'together'
  | 'anthropic'
  | 'gemini'
  | 'azure'
  | 'bedrock'
  | 'vertex'
  | 'cohere'
  | 'ollama'
  | 'github'
  | 'watsonx'
  | 'elevenlabs'
  | 'replicate'
  | 'voyage'
  | 'perplexity'
  | 'runway'
  | 'rits';

/** How the secret is presented to the upstream API. */
export type AuthScheme =
  | 'bearer'
  | 'x-api-key'
  | 'x-goog-api-key'
  | 'api-key'
  | 'aws-sigv4'
  | 'google-service-account'
  | 'xi-api-key'
  | 'ibm-iam'
  | 'rits-api-key'
  | 'none';

/** A type-specific setting the GUI renders and the service validates. */
export interface SettingField {
  name: string;
  label: string;
  /** Secrets go to the vault and are never returned. */
  secret?: boolean;
  required?: boolean;
  placeholder?: string;
  multiline?: boolean;
}

export interface CatalogEntry {
  id: string;
  label: string;
  /** Default base URL; null when the user must give one (or it is built from settings). */
  defaultBaseUrl: string | null;
  /** Shown as a placeholder when the base URL depends on the user's resource or region. */
  baseUrlTemplate?: string;
  auth: AuthScheme;
  keyRequired: boolean;
  /** What a key looks like, for placeholders and hints ("sk-…"). */
  keyHint: string;
  capabilities: ProviderCapability[];
  modelList: ModelListFamily;
  /** Local servers: keyless by default and private networks allowed. */
  local: boolean;
  settings: SettingField[];
  aliases: string[];
  docsUrl: string;
}
