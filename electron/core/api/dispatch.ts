// The one place where a call from any transport (IPC, HTTP) is validated and handed to its handler.
// The answer is always an ApiResult: a domain error keeps its code and message; anything else is
// reported as INTERNAL with a generic message, so no stack or internal detail reaches the page.
import { API_ERROR, type ApiResult } from '../../../shared/api';
import { validateCall } from '../../../shared/validate';
import { isInterceptorError } from '../errors';
import type { ApiHandlers } from './api-handlers';

export interface DispatchOptions {
  /** Told about unexpected errors (with their stack) so they can be logged; never shown to the page. */
  onInternalError?: (error: unknown, method: string) => void;
}

const INTERNAL_MESSAGE = 'internal error: the action failed unexpectedly; see the Interceptor log for details';

export async function dispatch(
  handlers: ApiHandlers,
  method: unknown,
  arg: unknown,
  options: DispatchOptions = {},
): Promise<ApiResult<unknown>> {
  const call = validateCall(method, arg);
  if (!call.ok) return call;
  try {
    // The union of validated calls cannot be narrowed per method here; validateCall guarantees the pair matches.
    const handler = handlers[call.method] as (arg: unknown) => unknown;
    const value = await handler.call(handlers, call.arg);
    return { ok: true, value: value === undefined ? null : value };
  } catch (error) {
    if (isInterceptorError(error)) return { ok: false, code: error.code, message: error.message };
    options.onInternalError?.(error, call.method);
    return { ok: false, code: API_ERROR.internal, message: INTERNAL_MESSAGE };
  }
}
