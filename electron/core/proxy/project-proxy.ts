// Starting the proxy of one project folder, with a useful answer when its port is taken: whether
// another Interceptor already serves this very project (then there is nothing to fix), serves
// another project, or some other program holds the port.
import { InterceptorError, isInterceptorError } from '../errors';
import { probeInterceptor, type InterceptorHealth } from '../net/interceptor-probe';
import { describeHolder, findPortHolder, type PortHolder } from '../net/port-holder';
import type { IdeInfo } from './identity-headers';
import { DEFAULT_PROXY_HOST, type ProxyOptions } from './proxy-options';
import { startProxy, type RunningProxy } from './proxy-server';
import { isWildcardHost } from './request-guard';

const DIAGNOSE_TIMEOUT_MS = 3000;

export type BusyPort =
  | { kind: 'same-project'; health: InterceptorHealth }
  | { kind: 'other-project'; health: InterceptorHealth }
  | { kind: 'other-program'; holder: PortHolder | null };

/** PORT_IN_USE with what is on the port, so each front end can say what to do about it. */
export class PortBusyError extends InterceptorError {
  constructor(
    readonly port: number,
    readonly busy: BusyPort,
    cause: unknown,
  ) {
    super('PORT_IN_USE', describeBusyPort(port, busy), { cause });
  }
}

export function describeBusyPort(port: number, busy: BusyPort): string {
  switch (busy.kind) {
    case 'same-project':
      return `port ${port} is already served for this project by another Interceptor`;
    case 'other-project':
      return `port ${port} is served by another Interceptor for ${busy.health.project.path}`;
    case 'other-program':
      return `port ${port} is taken by ${describeHolder(busy.holder)}`;
  }
}

export async function diagnoseBusyPort(port: number, host: string, projectPath: string): Promise<BusyPort> {
  // Only on the error path, so it can afford to wait for a busy machine's answer.
  const health = await probeInterceptor(port, isWildcardHost(host) ? '127.0.0.1' : host.replace(/^\[(.*)\]$/, '$1'), DIAGNOSE_TIMEOUT_MS);
  if (health) return { kind: health.project.path === projectPath ? 'same-project' : 'other-project', health };
  return { kind: 'other-program', holder: await findPortHolder(port) };
}

export interface ProjectProxyOptions extends Omit<ProxyOptions, 'identity'> {
  projectPath: string;
  port: number;
  ide?: IdeInfo;
}

/** startProxy for a project folder; a taken port rejects with PortBusyError. */
export async function startProjectProxy(options: ProjectProxyOptions): Promise<RunningProxy> {
  const { projectPath, port, ide, ...rest } = options;
  try {
    return await startProxy({ ...rest, identity: { projectPath, port, ...(ide ? { ide } : {}) } });
  } catch (error) {
    if (isInterceptorError(error) && error.code === 'PORT_IN_USE') {
      throw new PortBusyError(port, await diagnoseBusyPort(port, options.host ?? DEFAULT_PROXY_HOST, projectPath), error);
    }
    throw error;
  }
}
