// The forwarding proxy: one per open project, on the project's registry port.
export { startProxy, DEFAULT_CLOSE_GRACE_MS, type KeyWithheld, type RunningProxy, type ProxyEvents } from './proxy-server';
export { startProjectProxy, diagnoseBusyPort, describeBusyPort, PortBusyError, type BusyPort, type ProjectProxyOptions } from './project-proxy';
export {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_PROXY_HOST,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  resolveProxyConfig,
  type ProxyConfig,
  type ProxyOptions,
  type ProxyUpdate,
} from './proxy-options';
export {
  buildIdentityHeaders,
  describeIdentity,
  DEFAULT_HEADER_PROFILE,
  IDENTITY_HEADER,
  type HeaderProfile,
  type IdeInfo,
  type IdentityDisclosure,
  type ProxyIdentity,
  UNATTRIBUTED,
  isUnattributed,
} from './identity-headers';
export type { RequestAttribution } from './request-attribution';
export { DEFAULT_TARGET_URL, joinUpstreamPath, parseTargetUrl, type UpstreamTarget } from './target-url';
export { isLoopbackHost } from './request-guard';
export type { InterceptorStatsBody } from './proxy-app';
export { RECENT_REQUESTS_CAPACITY, type ProxyStatsSnapshot, type RequestEntry } from './proxy-stats';
export type { ProxyErrorCode } from './openai-error';
