// LiteLLM's own price table, for answers that carry no cost (streams, older LiteLLM versions): its
// `/model/info` (or `/v1/model/info`) answer, fetched with the configured key and kept in memory.
// Refreshed at most once per interval, failures tolerated (the rows then have no cost until a later
// request finds the table); estimates made from it are marked `estimated`.
import { joinUpstreamPath, parseTargetUrl } from '../proxy/target-url';
import { isObject, money } from './usage-object';
import type { UsageFacts } from './usage-facts';

export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** Anthropic-style tiers: prices for requests whose input is above 200k tokens. */
  inputAbove200k?: number;
  outputAbove200k?: number;
}

export interface PriceBookOptions {
  /** LiteLLM's URL as configured (base path included). */
  target: () => string;
  apiKey: () => string | undefined;
  /** A table older than this is fetched again when a model is missing from it. */
  refreshMs?: number;
  /** After a failed fetch, wait this long before the next. */
  retryMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

const MAX_TABLE_BYTES = 16 * 1024 * 1024;
const LONG_CONTEXT_TOKENS = 200_000;

function priceOf(info: Record<string, unknown>): ModelPrice | undefined {
  const input = money(info.input_cost_per_token);
  const output = money(info.output_cost_per_token);
  if (input === undefined && output === undefined) return undefined;
  const price: ModelPrice = { input: input ?? 0, output: output ?? 0 };
  const cacheRead = money(info.cache_read_input_token_cost);
  const cacheWrite = money(info.cache_creation_input_token_cost);
  const inputAbove = money(info.input_cost_per_token_above_200k_tokens);
  const outputAbove = money(info.output_cost_per_token_above_200k_tokens);
  if (cacheRead !== undefined) price.cacheRead = cacheRead;
  if (cacheWrite !== undefined) price.cacheWrite = cacheWrite;
  if (inputAbove !== undefined) price.inputAbove200k = inputAbove;
  if (outputAbove !== undefined) price.outputAbove200k = outputAbove;
  return price;
}

export interface PriceTable {
  /** By deployment id (model_info.id, what x-litellm-model-id names). */
  byId: Map<string, ModelPrice>;
  /** By the public model name (model_name) and by the provider's model (litellm_params.model). */
  byName: Map<string, ModelPrice>;
}

/** Reads a /model/info answer: `{data: [{model_name, litellm_params: {model}, model_info: {...}}]}`. */
export function parseModelInfo(body: unknown): PriceTable | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  const table: PriceTable = { byId: new Map(), byName: new Map() };
  for (const item of body.data) {
    if (!isObject(item) || !isObject(item.model_info)) continue;
    const price = priceOf(item.model_info);
    if (price === undefined) continue;
    if (typeof item.model_info.id === 'string') table.byId.set(item.model_info.id, price);
    // The first deployment of a name wins: deployments of one model group usually share a price.
    if (typeof item.model_name === 'string' && !table.byName.has(item.model_name)) table.byName.set(item.model_name, price);
    const provider = isObject(item.litellm_params) ? item.litellm_params.model : undefined;
    if (typeof provider === 'string' && !table.byName.has(provider)) table.byName.set(provider, price);
  }
  return table;
}

/** Dollars for the tokens of one request at `price`; cached input at its own price where there is one. */
export function costOf(facts: Pick<UsageFacts, 'promptTokens' | 'completionTokens' | 'cachedTokens' | 'cacheWriteTokens'>, price: ModelPrice): number {
  const prompt = facts.promptTokens ?? 0;
  const cached = facts.cachedTokens ?? 0;
  const written = facts.cacheWriteTokens ?? 0;
  const long = prompt > LONG_CONTEXT_TOKENS;
  const input = long ? (price.inputAbove200k ?? price.input) : price.input;
  const output = long ? (price.outputAbove200k ?? price.output) : price.output;
  const uncached = Math.max(0, prompt - cached - written);
  const dollars = uncached * input + cached * (price.cacheRead ?? input) + written * (price.cacheWrite ?? input) + (facts.completionTokens ?? 0) * output;
  return Math.round(dollars * 1e10) / 1e10;
}

export class PriceBook {
  private table: PriceTable | undefined;
  private fetchedAt = -Infinity;
  private failedAt = -Infinity;
  private loading: Promise<void> | undefined;
  private readonly refreshMs: number;
  private readonly retryMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** Why the last fetch failed, for diagnostics (never holds the key). */
  lastError: string | undefined;

  constructor(private readonly options: PriceBookOptions) {
    this.refreshMs = options.refreshMs ?? 60 * 60_000;
    this.retryMs = options.retryMs ?? 5 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** The price of a deployment (by id) or a model (by name), from the table in memory. */
  lookup(modelId: string | null, model: string | null): ModelPrice | undefined {
    const table = this.table;
    if (table === undefined) return undefined;
    return (modelId === null ? undefined : table.byId.get(modelId)) ?? (model === null ? undefined : table.byName.get(model));
  }

  estimate(facts: UsageFacts, model: string | null): number | undefined {
    const price = this.lookup(facts.modelId, model);
    return price === undefined ? undefined : costOf(facts, price);
  }

  /** Whether a fetch now could help: no table yet or an old one, and no recent failure. */
  wantsRefresh(): boolean {
    const now = this.now();
    if (now - this.failedAt < this.retryMs) return false;
    return this.table === undefined || now - this.fetchedAt > this.refreshMs;
  }

  /** Fetches the table (one fetch at a time); never throws. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    try {
      const target = parseTargetUrl(this.options.target());
      const key = this.options.apiKey();
      const headers: Record<string, string> = { accept: 'application/json' };
      if (key !== undefined) headers.authorization = `Bearer ${key}`;
      let lastFailure = 'no answer';
      // LiteLLM serves both; a base path (e.g. /v1) is kept in front of either.
      for (const route of ['/model/info', '/v1/model/info']) {
        const url = `${target.protocol}//${target.hostHeader}${joinUpstreamPath(target.basePath, route)}`;
        const response = await fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
        if (!response.ok) {
          lastFailure = `${route} answered ${response.status}`;
          await response.body?.cancel();
          continue;
        }
        const length = Number(response.headers.get('content-length') ?? 0);
        if (length > MAX_TABLE_BYTES) throw new Error(`${route} answered ${length} bytes, more than ${MAX_TABLE_BYTES}`);
        const text = await response.text();
        if (text.length > MAX_TABLE_BYTES) throw new Error(`${route} answered more than ${MAX_TABLE_BYTES} bytes`);
        const table = parseModelInfo(JSON.parse(text) as unknown);
        if (table === undefined) throw new Error(`${route} answered something that is not a model list`);
        this.table = table;
        this.fetchedAt = this.now();
        this.lastError = undefined;
        return;
      }
      throw new Error(lastFailure);
    } catch (error) {
      this.failedAt = this.now();
      this.lastError = error instanceof Error ? error.message : String(error);
    }
  }
}
