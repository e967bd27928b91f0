// LiteLLM errors that the headers Interceptor adds (or the key it adds) can cause, recognised from
// the status and JSON body LiteLLM answered with, so the user is told once what to change. Only the
// recognition is ours: the client still receives LiteLLM's answer byte for byte. Pure. Messages are
// our own text: nothing of the request (or of LiteLLM's message, which may quote it) is repeated.

export type UpstreamProblemKind = 'tag-routing' | 'tag-budget' | 'key-model-access' | 'key-rejected';

export interface UpstreamProblem {
  kind: UpstreamProblemKind;
  /** What LiteLLM refused and why, one sentence. */
  problem: string;
  /** What to change, one sentence. */
  fix: string;
}

interface LiteLlmError {
  message: string;
  type: string;
  code: string;
}

/** LiteLLM's error shape: `{"error": {"message", "type", "param", "code"}}` (ProxyException.to_dict). */
function readError(body: string): LiteLlmError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, type, code } = error as Record<string, unknown>;
  if (typeof message !== 'string') return undefined;
  return { message, type: typeof type === 'string' ? type : '', code: typeof code === 'string' || typeof code === 'number' ? String(code) : '' };
}

// RouterErrors.no_deployments_with_tag_routing (litellm/types/router.py).
const TAG_ROUTING = 'Not allowed to access model due to tags configuration';
// BudgetExceededError for a tag (auth_checks.py, _tag_max_budget_check).
const TAG_BUDGET = /Budget has been exceeded!? Tag=project:/;
// ProxyErrorTypes that deny a key, its team or its user a model (auth_checks.py, _can_object_call_model).
const MODEL_ACCESS_TYPES: ReadonlySet<string> = new Set([
  'key_model_access_denied',
  'team_model_access_denied',
  'user_model_access_denied',
  'org_model_access_denied',
  'project_model_access_denied',
]);

/** The problem an error answer from LiteLLM shows, when it is one our headers or key can cause. */
export function classifyUpstreamError(status: number, body: string): UpstreamProblem | undefined {
  if (status < 400) return undefined;
  const error = readError(body);
  if (error === undefined) return undefined;
  if (error.message.includes(TAG_ROUTING)) {
    return {
      kind: 'tag-routing',
      problem: "LiteLLM refused the request: tag-based routing is on and no deployment of the model accepts the request's project tag",
      fix: 'in LiteLLM, tag a deployment of that model "default" (it then serves requests whose tags match no deployment), or turn the LiteLLM-native headers (tags) off in Interceptor\'s settings',
    };
  }
  if (TAG_BUDGET.test(error.message) || (error.type === 'budget_exceeded' && error.message.includes('Tag=project:'))) {
    return {
      kind: 'tag-budget',
      problem: "LiteLLM refused the request: the project's tag has used up the budget set for it in LiteLLM",
      fix: "raise or reset the tag's budget in LiteLLM (/tag/update), or wait for its budget period to reset",
    };
  }
  if (MODEL_ACCESS_TYPES.has(error.type)) {
    return {
      kind: 'key-model-access',
      problem: 'LiteLLM refused the request: the LiteLLM key it carried may not use this model',
      fix: "give the key (the client's own, or the one configured in Interceptor) access to the model in LiteLLM, or pick a model the key may use",
    };
  }
  if (status === 401 && (error.type === 'auth_error' || error.type === 'expired_key' || /Authentication Error/i.test(error.message))) {
    return {
      kind: 'key-rejected',
      problem: 'LiteLLM refused the LiteLLM key the request carried (unknown, expired or blocked)',
      fix: "check the key: the client's own, or the one configured in Interceptor (settings, or LITELLM_API_KEY), which is added only to requests that carry none",
    };
  }
  return undefined;
}

/** The one line a notice or a log shows. */
export function describeUpstreamProblem(problem: UpstreamProblem): string {
  return `${problem.problem}. Fix: ${problem.fix}.`;
}
