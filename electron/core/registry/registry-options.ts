// Registry configuration from flags and environment. Precedence: flag, then variable, then default.
// Every rejected value produces one line naming where it came from and what it was.
import { parsePortList } from '../../../shared/port-list';
import path from 'node:path';
import { InterceptorError } from '../errors';
import { defaultRegistryPath, expandHome } from './paths';
import { DEFAULT_PORT_RANGE, parsePortText } from './port-range';
import type { PortRange } from './port-range';
import type { SalvageReport } from './registry-parse';

export interface RegistryOptions {
  /** Absolute path of port_registry.json. */
  file: string;
  /** The range new projects are allocated from. */
  range: PortRange;
  /** Where each end of the range came from (`--port-min`, `INTERCEPTOR_PORT_MIN` or `default`), for messages. */
  rangeSource: { start: string; end: string };
  /** Ports never handed out (INTERCEPTOR_RESERVED_PORTS). */
  reserved: readonly PortRange[];
  /** Is a port free to listen on? Defaults to probing the OS (net/port-probe). */
  isPortFree?: (port: number) => Promise<boolean>;
  /** Told whenever a corrupt file was set aside and salvaged, by any operation. */
  onSalvage?: (report: SalvageReport) => void;
}

export interface RegistryFlags {
  registry?: string;
  portMin?: string;
  portMax?: string;
}

export const ENV = {
  registry: 'INTERCEPTOR_REGISTRY',
  portMin: 'INTERCEPTOR_PORT_MIN',
  portMax: 'INTERCEPTOR_PORT_MAX',
  reserved: 'INTERCEPTOR_RESERVED_PORTS',
  port: 'INTERCEPTOR_PORT',
} as const;

const PORT_EXPECTATION = 'expected a whole number from 1 to 65535';

/** An environment value, treating an empty one (`export X=`) as unset. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

interface Sourced {
  value: number;
  source: string; // how to name it in a message: `--port-min=9000`, `INTERCEPTOR_PORT_MIN=9000`, `the default 8888`
  label: string;
}

function rangeEnd(
  flagName: string,
  flagValue: string | undefined,
  envName: string,
  env: NodeJS.ProcessEnv,
  fallback: number,
): Sourced {
  if (flagValue !== undefined) {
    const port = parsePortText(flagValue);
    if (port === undefined) {
      throw new InterceptorError('INVALID_ARGUMENT', `${flagName} ${JSON.stringify(flagValue)} is not a port number (${PORT_EXPECTATION})`);
    }
    return { value: port, source: `${flagName}=${port}`, label: flagName };
  }
  const raw = envValue(env, envName);
  if (raw !== undefined) {
    const port = parsePortText(raw);
    if (port === undefined) {
      throw new InterceptorError('INVALID_ENV', `${envName}=${JSON.stringify(raw)} is not a port number (${PORT_EXPECTATION})`);
    }
    return { value: port, source: `${envName}=${port}`, label: envName };
  }
  return { value: fallback, source: `the default ${fallback}`, label: 'default' };
}

/** INTERCEPTOR_RESERVED_PORTS: `8900,8950-8960` (blanks allowed, empty items ignored). */
export function parseReservedPorts(text: string | undefined, name: string = ENV.reserved): PortRange[] {
  if (text === undefined) return [];
  // One syntax for the variable and the reservedPorts setting (shared/port-list.ts).
  const result = parsePortList(text);
  if (!result.ok) throw new InterceptorError('INVALID_ENV', `${name}=${JSON.stringify(text)} ${result.message} (expected e.g. 8900,8950-8960)`);
  return result.ranges;
}

/**
 * Registry options from flags and environment. Throws INVALID_ARGUMENT (a flag), INVALID_ENV (a
 * variable) or INVALID_RANGE (min > max), each naming the offending source and value.
 */
export function registryOptionsFrom(
  env: NodeJS.ProcessEnv,
  flags: RegistryFlags = {},
  cwd: string = process.cwd(),
): RegistryOptions {
  let file: string;
  if (flags.registry !== undefined) {
    if (flags.registry.trim() === '') throw new InterceptorError('INVALID_ARGUMENT', '--registry needs a file path, got an empty value');
    file = path.resolve(cwd, flags.registry);
  } else {
    const fromEnv = envValue(env, ENV.registry);
    file = fromEnv === undefined ? defaultRegistryPath() : path.resolve(cwd, expandHome(fromEnv));
  }

  const start = rangeEnd('--port-min', flags.portMin, ENV.portMin, env, DEFAULT_PORT_RANGE.start);
  const end = rangeEnd('--port-max', flags.portMax, ENV.portMax, env, DEFAULT_PORT_RANGE.end);
  if (start.value > end.value) {
    throw new InterceptorError(
      'INVALID_RANGE',
      `the port range is empty: ${start.source} is greater than ${end.source} (the minimum must not exceed the maximum)`,
    );
  }
  const range = { start: start.value, end: end.value };
  const reserved = parseReservedPorts(envValue(env, ENV.reserved));
  return { file, range, rangeSource: { start: start.label, end: end.label }, reserved };
}

/** INTERCEPTOR_PORT: the port this process uses instead of the registry's, when set. */
export function portOverrideFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = envValue(env, ENV.port);
  if (raw === undefined) return undefined;
  const port = parsePortText(raw);
  if (port === undefined) {
    throw new InterceptorError('INVALID_ENV', `${ENV.port}=${JSON.stringify(raw)} is not a port number (${PORT_EXPECTATION})`);
  }
  return port;
}
