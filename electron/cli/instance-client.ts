// Talks to the running Interceptor (tray app or `serve`) through its dashboard API: the instance
// file (0600, in the registry's folder) holds the dashboard URL with its token.
import path from 'node:path';
import type { ApiArgs, ApiMethodName, ApiResult, ApiReturns } from '../../shared/api';
import { DASHBOARD } from '../../shared/api';
import { InterceptorError, type ErrorCode } from '../core/errors';
import { readInstance, type InstanceInfo } from '../core/instance/instance-file';

export interface RunningInstance {
  info: InstanceInfo;
  call<M extends ApiMethodName>(method: M, arg?: ApiArgs[M]): Promise<ApiReturns[M]>;
}

const CALL_TIMEOUT_MS = 10_000;

/** The instance serving the registry in `registryFile`'s folder, or null when none runs. */
export async function findRunningInstance(registryFile: string): Promise<RunningInstance | null> {
  const info = await readInstance({ dir: path.dirname(registryFile) });
  if (!info) return null;
  const dashboard = info.dashboardUrl ? new URL(info.dashboardUrl) : undefined;
  const token = dashboard?.searchParams.get(DASHBOARD.tokenQuery) ?? undefined;
  return {
    info,
    async call(method, arg) {
      if (!dashboard || !token) {
        throw new InterceptorError('NOT_FOUND', `Interceptor (pid ${info.pid}) runs without a control endpoint (no dashboard)`);
      }
      let response: Response;
      try {
        response = await fetch(new URL(`${DASHBOARD.apiPrefix}${method}`, dashboard.origin), {
          method: 'POST',
          headers: { 'content-type': 'application/json', [DASHBOARD.tokenHeader]: token },
          body: JSON.stringify(arg ?? null),
          signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        });
      } catch (error) {
        throw new InterceptorError('UPSTREAM_UNREACHABLE', `cannot reach the running Interceptor (pid ${info.pid}) at ${dashboard.origin}: ${(error as Error).message}`);
      }
      const result = (await response.json().catch(() => null)) as ApiResult<ApiReturns[typeof method]> | null;
      if (!result || typeof result !== 'object') {
        throw new InterceptorError('INTERNAL', `the running Interceptor answered HTTP ${response.status} without a result`);
      }
      // The code comes from our own core on the other side; unknown ones still read well as text.
      if (!result.ok) throw new InterceptorError(result.code as ErrorCode, result.message);
      return result.value;
    },
  };
}
