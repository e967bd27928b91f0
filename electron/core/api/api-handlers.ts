// What the main process implements behind the API contract (shared/api.ts). Handlers receive
// arguments already validated by dispatch(), return plain values, and throw InterceptorError for
// anything the user should read; every transport reaches them through dispatch() only.
import type { ApiArgs, ApiMethodName, ApiReturns } from '../../../shared/api';

export type ApiHandlers = {
  [M in ApiMethodName]: (arg: ApiArgs[M]) => Promise<ApiReturns[M]> | ApiReturns[M];
};
