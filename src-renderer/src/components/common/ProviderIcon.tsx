/** Hand-picked hues for well-known types; others get one from their id. */
const HUES: Record<string, number> = {
  openai: 160,
  anthropic: 24,
  azure: 205,
  bedrock: 35,
  gemini: 220,
  vertex: 140,
  ollama: 0,
  mistral: 18,
  groq: 10,
  cohere: 290,
  deepseek: 230,
  xai: 0,
  openrouter: 250,
};

function hueOf(id: string): number {
  if (HUES[id] !== undefined) return HUES[id]!;
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

/** Initials of the label's words, camel case included ("OpenAI" → "OA", "AWS Bedrock" → "AB"); one word gives two letters ("Ollama" → "Ol"). */
export function monogram(label: string): string {
  const words = label.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
  if (words.length >= 2) return `${words[0]![0]}${words[1]![0]}`.toUpperCase();
  const word = words[0] ?? '?';
  return word.length > 1 ? `${word[0]!.toUpperCase()}${word[1]!.toLowerCase()}` : word.toUpperCase();
}

/** A generated monogram tile per provider type (no external assets). */
export function ProviderIcon({ type, label, size = 32 }: { type: string; label: string; size?: number }) {
  const hue = hueOf(type);
  const neutral = type === 'ollama' || type === 'xai';
  return (
    <svg className="provider-icon" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill={neutral ? 'var(--icon-neutral)' : `hsl(${hue} 62% var(--icon-l))`} />
      <text
        x="16"
        y="16"
        dy="0.35em"
        textAnchor="middle"
        fontSize="13"
        fontWeight="700"
        fill={neutral ? 'var(--icon-neutral-ink)' : `hsl(${hue} 70% var(--icon-ink-l))`}
      >
        {monogram(label)}
      </text>
    </svg>
  );
}
