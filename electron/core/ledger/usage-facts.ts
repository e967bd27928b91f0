// What one exchange cost, as read from LiteLLM's answer: tokens from the body's `usage`, cost and ids
// from its response headers. Plain data, so it can travel on a request entry, into a JSON log line
// and into a ledger row. Never a prompt, a completion or a key.

/** Who sent the request, told from its User-Agent. */
export type ClientFamily = 'openai-node' | 'openai-python' | 'continue' | 'claude-code' | 'junie' | 'jetbrains' | 'other';

export const CLIENT_FAMILIES: readonly ClientFamily[] = ['openai-node', 'openai-python', 'continue', 'claude-code', 'junie', 'jetbrains', 'other'];

/**
 * Where a cost figure came from:
 * - `header`: LiteLLM's `x-litellm-response-cost` (non-streamed answers);
 * - `stream`: the `cost` LiteLLM put in a stream's last usage (`include_cost_in_streaming_usage`);
 * - `estimated`: tokens × the model's prices from LiteLLM's `/model/info`, computed here.
 */
export type CostSource = 'header' | 'stream' | 'estimated';

export interface TokenUsage {
  /** Every input token, cached ones included (Anthropic's uncached, cache-read and cache-write added up). */
  promptTokens: number;
  completionTokens: number;
  /** Input tokens read from a prompt cache (a part of promptTokens). */
  cachedTokens: number;
  /** Input tokens written to a prompt cache (Anthropic; a part of promptTokens). */
  cacheWriteTokens: number;
  /** The cost the answer carried in its usage (LiteLLM's include_cost_in_streaming_usage). */
  cost?: number;
}

export interface UsageFacts {
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  cacheWriteTokens: number | null;
  cost: number | null;
  costSource: CostSource | null;
  /** The model named in the answer (LiteLLM usually echoes the name the client asked for). */
  responseModel: string | null;
  /** x-litellm-call-id: finds the request in LiteLLM's own logs. */
  callId: string | null;
  /** x-litellm-model-id: the deployment that answered (matches /model/info's model_info.id). */
  modelId: string | null;
  litellmVersion: string | null;
  /** Why no tokens were read, when none were (body over the sniff limit, stream cut off, no usage sent). */
  note: string | null;
}

export const NO_USAGE: Readonly<UsageFacts> = Object.freeze({
  promptTokens: null,
  completionTokens: null,
  cachedTokens: null,
  cacheWriteTokens: null,
  cost: null,
  costSource: null,
  responseModel: null,
  callId: null,
  modelId: null,
  litellmVersion: null,
  note: null,
});
