// One ledger row from a finished request: its metadata, the facts its answer carried, and a price
// estimate where LiteLLM sent no cost. Never a body, a query string or a header value besides
// LiteLLM's ids.
import { UNATTRIBUTED } from '../proxy/identity-headers';
import { projectSlug } from '../proxy/project-identity';
import type { RequestEntry } from '../proxy/proxy-stats';
import { localDay } from './local-day';
import { NO_USAGE, type CostSource, type UsageFacts } from './usage-facts';

export interface LedgerRow {
  at: number;
  day: string;
  project: string;
  projectSlug: string;
  attribution: string | null;
  client: string;
  method: string;
  endpoint: string;
  modelRequested: string | null;
  modelAnswered: string | null;
  modelId: string | null;
  status: number;
  error: string | null;
  streamed: boolean;
  durationMs: number;
  ttfbMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  cacheWriteTokens: number | null;
  cost: number | null;
  costSource: CostSource | null;
  callId: string | null;
  litellmVersion: string | null;
}

/** Prices a request's tokens when its answer carried no cost; undefined when the model has no known price. */
export type Estimator = (facts: UsageFacts, model: string | null) => number | undefined;

const slugs = new Map<string, string>();

function slugOf(project: string): string {
  let slug = slugs.get(project);
  if (slug === undefined) {
    slug = projectSlug(project);
    if (slugs.size > 1000) slugs.clear();
    slugs.set(project, slug);
  }
  return slug;
}

/** The model a row is summarised under: the name the client asked for, else the one that answered. */
export function summaryModel(row: Pick<LedgerRow, 'modelRequested' | 'modelAnswered'>): string {
  return row.modelRequested ?? row.modelAnswered ?? '(none)';
}

/** A request that did not get a usable answer (the client going away is not the proxy's error). */
export function isErrorRow(row: Pick<LedgerRow, 'status' | 'error'>): boolean {
  return row.status >= 400 || (row.error !== null && row.error !== 'client_aborted');
}

/** The project column of a request attributed to no project: no path can be empty. */
export const UNATTRIBUTED_PROJECT = '';

export function ledgerRow(entry: RequestEntry, estimate?: Estimator): LedgerRow {
  const facts = entry.usage?.facts() ?? NO_USAGE;
  let cost = facts.cost;
  let costSource = facts.costSource;
  const model = entry.model ?? facts.responseModel;
  if (cost === null && facts.promptTokens !== null && estimate !== undefined) {
    const estimated = estimate(facts, model);
    if (estimated !== undefined) {
      cost = estimated;
      costSource = 'estimated';
    }
  }
  return {
    at: entry.at,
    day: localDay(entry.at),
    // A request the IDE port could attribute to no project is kept, under no project (never a guess).
    project: entry.project ?? UNATTRIBUTED_PROJECT,
    projectSlug: entry.project === undefined ? UNATTRIBUTED : slugOf(entry.project),
    attribution: entry.attribution ?? null,
    client: entry.client,
    method: entry.method,
    endpoint: entry.path,
    modelRequested: entry.model ?? null,
    modelAnswered: facts.responseModel,
    modelId: facts.modelId,
    status: entry.status,
    error: entry.error ?? null,
    streamed: entry.streamed,
    durationMs: entry.durationMs,
    ttfbMs: entry.ttfbMs,
    promptTokens: facts.promptTokens,
    completionTokens: facts.completionTokens,
    cachedTokens: facts.cachedTokens,
    cacheWriteTokens: facts.cacheWriteTokens,
    cost,
    costSource,
    callId: facts.callId,
    litellmVersion: facts.litellmVersion,
  };
}
