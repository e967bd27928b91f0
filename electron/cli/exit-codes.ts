// Which exit code a failure ends with (the table in the README and `interceptor --help`).
import type { ErrorCode } from '../core/errors';
import { isInterceptorError } from '../core/errors';
import { ExitCode } from './command';

// Partial: a code added later falls back to "runtime" until it is placed here.
const BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_ENV: ExitCode.usage,
  INVALID_ARGUMENT: ExitCode.usage,
  INVALID_RANGE: ExitCode.usage,
  NOT_FOUND: ExitCode.negative,
  RANGE_EXHAUSTED: ExitCode.registry,
  REGISTRY_CORRUPT: ExitCode.registry,
  REGISTRY_READ_ONLY: ExitCode.registry,
  REGISTRY_IO: ExitCode.registry,
  LOCK_TIMEOUT: ExitCode.registry,
  LOCK_COMPROMISED: ExitCode.registry,
  PORT_IN_USE: ExitCode.runtime,
  PORT_PERMISSION: ExitCode.runtime,
  UPSTREAM_UNREACHABLE: ExitCode.runtime,
  UPSTREAM_TIMEOUT: ExitCode.runtime,
  INTERNAL: ExitCode.runtime,
};

export function exitCodeFor(error: unknown): number {
  return isInterceptorError(error) ? (BY_CODE[error.code] ?? ExitCode.runtime) : ExitCode.runtime;
}
