// Domain errors: every failure a user can cause or meet has a code, a one-line message that says
// what happened and what to do, and never a stack trace unless asked for. OS error codes are
// mapped to domain codes here, in one place.

export type ErrorCode =
  | 'INVALID_ENV' // an environment variable has a value we cannot use
  | 'INVALID_ARGUMENT' // a CLI argument or API argument is wrong
  | 'INVALID_RANGE' // a port range is malformed or excludes existing mappings
  | 'RANGE_EXHAUSTED' // no free port left in the range
  | 'NOT_FOUND' // no mapping for that project or port
  | 'PORT_IN_USE' // another program listens on the port
  | 'PORT_PERMISSION' // the OS refuses the bind (privileged port)
  | 'REGISTRY_CORRUPT' // the registry file is unreadable; it was set aside and salvaged
  | 'REGISTRY_READ_ONLY' // the registry was written by a newer version: we refuse to write it
  | 'REGISTRY_IO' // the registry file or its folder cannot be read or written
  | 'LOCK_TIMEOUT' // the registry lock could not be taken in time
  | 'LOCK_COMPROMISED' // the lock was lost while held (machine slept, lock file removed)
  | 'UPSTREAM_UNREACHABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'SETTINGS_IO' // the settings file or its folder cannot be read or written
  | 'INSTANCE_IO' // the running-instance file cannot be read or written
  | 'ALREADY_RUNNING' // another Interceptor (app or `serve`) already runs for this user
  | 'INTERNAL';

export class InterceptorError extends Error {
  override readonly name = 'InterceptorError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isInterceptorError(error: unknown): error is InterceptorError {
  return error instanceof InterceptorError;
}

/** The `code` of a Node system error (`EADDRINUSE`, `ENOENT`, ...), if it has one. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Maps an error from binding a server socket to the domain error a user can act on. */
export function bindError(error: unknown, host: string, port: number): InterceptorError {
  const code = systemErrorCode(error);
  if (code === 'EADDRINUSE') {
    return new InterceptorError('PORT_IN_USE', `port ${port} on ${host} is already in use by another program`, {
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new InterceptorError('PORT_PERMISSION', `not allowed to listen on ${host}:${port} (privileged port?)`, {
      cause: error,
    });
  }
  if (code === 'EADDRNOTAVAIL') {
    return new InterceptorError('INVALID_ARGUMENT', `cannot listen on ${host}: no such local address`, {
      cause: error,
    });
  }
  return new InterceptorError('INTERNAL', `cannot listen on ${host}:${port}: ${String((error as Error)?.message ?? error)}`, {
    cause: error,
  });
}
