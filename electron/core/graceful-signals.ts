// conf writes through `atomically`, whose `when-exit` dependency hooks SIGINT and SIGTERM at import
// time and re-sends the signal to the process after its own cleanup, killing it on the spot — before
// our graceful shutdown lets streams in flight finish. Long-running front ends (`run`, `serve`, the
// app) call this before installing their own handlers. when-exit also runs its cleanup on the
// process 'exit' event, which a graceful shutdown still reaches, so nothing is lost.
export const GRACEFUL_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function takeOverShutdownSignals(): void {
  for (const signal of GRACEFUL_SIGNALS) process.removeAllListeners(signal);
}
