// Reads a `usage` object in any of the three shapes LiteLLM answers with: OpenAI chat/completions
// and embeddings (prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens), the
// Responses API (input_tokens, output_tokens, input_tokens_details.cached_tokens: input includes the
// cached part) and Anthropic's /v1/messages (input_tokens without the cache, plus
// cache_read_input_tokens and cache_creation_input_tokens).
import type { TokenUsage } from './usage-facts';

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count: a whole number from 0 up; anything else is treated as absent. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** A cost in dollars: finite and not negative. */
export function money(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*$/.test(value)) return money(Number(value));
  return undefined;
}

function nested(object: Json, key: string, inner: string): number | undefined {
  const value = object[key];
  return isObject(value) ? count(value[inner]) : undefined;
}

/** The tokens of a usage object, or undefined when it is not one. */
export function tokenUsage(usage: unknown): TokenUsage | undefined {
  if (!isObject(usage)) return undefined;
  let result: TokenUsage | undefined;
  const prompt = count(usage.prompt_tokens);
  const input = count(usage.input_tokens);
  if (prompt !== undefined) {
    result = {
      promptTokens: prompt,
      completionTokens: count(usage.completion_tokens) ?? 0,
      cachedTokens: nested(usage, 'prompt_tokens_details', 'cached_tokens') ?? count(usage.cache_read_input_tokens) ?? 0,
      cacheWriteTokens: count(usage.cache_creation_input_tokens) ?? 0,
    };
  } else if (input !== undefined || count(usage.output_tokens) !== undefined) {
    const cacheRead = count(usage.cache_read_input_tokens);
    const cacheWrite = count(usage.cache_creation_input_tokens);
    const anthropic = cacheRead !== undefined || cacheWrite !== undefined;
    result = {
      // Anthropic counts cached input apart from input_tokens; the Responses API counts it inside.
      promptTokens: (input ?? 0) + (anthropic ? (cacheRead ?? 0) + (cacheWrite ?? 0) : 0),
      completionTokens: count(usage.output_tokens) ?? 0,
      cachedTokens: anthropic ? (cacheRead ?? 0) : (nested(usage, 'input_tokens_details', 'cached_tokens') ?? 0),
      cacheWriteTokens: cacheWrite ?? 0,
    };
  } else {
    return undefined;
  }
  const cost = money(usage.cost);
  if (cost !== undefined) result.cost = cost;
  return result;
}
