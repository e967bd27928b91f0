import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterceptorError } from '../../../electron/core/errors';
import { parseReservedPorts, portOverrideFrom, registryOptionsFrom, settingsPathFor } from '../../../electron/core/registry/index';

function errorOf(action: () => unknown): InterceptorError {
  try {
    action();
  } catch (error) {
    if (error instanceof InterceptorError) return error;
    throw error;
  }
  throw new Error('expected an InterceptorError');
}

describe('registryOptionsFrom', () => {
  it('defaults to ~/.config/litellm/port_registry.json (HOME decides) and 8888-9999', () => {
    const options = registryOptionsFrom({});
    expect(options.file).toBe(path.join(os.homedir(), '.config', 'litellm', 'port_registry.json'));
    expect(os.homedir()).toBe(process.env.HOME);
    expect(options.range).toEqual({ start: 8888, end: 9999 });
    expect(options.rangeSource).toEqual({ start: 'default', end: 'default' });
    expect(options.reserved).toEqual([]);
  });

  it('takes the registry from the flag over the variable, resolving relative paths against cwd', () => {
    const env = { INTERCEPTOR_REGISTRY: '/env/registry.json' };
    expect(registryOptionsFrom(env).file).toBe('/env/registry.json');
    expect(registryOptionsFrom(env, { registry: 'here.json' }, '/work/dir').file).toBe('/work/dir/here.json');
    expect(registryOptionsFrom({ INTERCEPTOR_REGISTRY: 'rel.json' }, {}, '/cwd').file).toBe('/cwd/rel.json');
    expect(registryOptionsFrom({ INTERCEPTOR_REGISTRY: '~/r.json' }).file).toBe(path.join(os.homedir(), 'r.json'));
  });

  it('takes the range from flags over variables over defaults', () => {
    const env = { INTERCEPTOR_PORT_MIN: '9000', INTERCEPTOR_PORT_MAX: '9100' };
    expect(registryOptionsFrom(env).range).toEqual({ start: 9000, end: 9100 });
    const mixed = registryOptionsFrom(env, { portMax: '9050' });
    expect(mixed.range).toEqual({ start: 9000, end: 9050 });
    expect(mixed.rangeSource).toEqual({ start: 'INTERCEPTOR_PORT_MIN', end: '--port-max' });
    expect(registryOptionsFrom({ INTERCEPTOR_PORT_MIN: ' 9000 ' }).range.start).toBe(9000);
  });

  it('treats an empty variable as unset', () => {
    expect(registryOptionsFrom({ INTERCEPTOR_PORT_MIN: '', INTERCEPTOR_REGISTRY: '' }).range.start).toBe(8888);
  });

  it.each([
    ['abc'],
    ['12.5'],
    ['0'],
    ['65536'],
    ['-1'],
    ['0x2000'],
    ['1e4'],
  ])('rejects INTERCEPTOR_PORT_MIN=%s naming the variable and value', (value) => {
    const error = errorOf(() => registryOptionsFrom({ INTERCEPTOR_PORT_MIN: value }));
    expect(error.code).toBe('INVALID_ENV');
    expect(error.message).toContain(`INTERCEPTOR_PORT_MIN=${JSON.stringify(value)}`);
    expect(error.message).toMatch(/not a port number/);
  });

  it('rejects a bad flag naming the flag and value', () => {
    const error = errorOf(() => registryOptionsFrom({}, { portMax: 'lots' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('--port-max "lots" is not a port number (expected a whole number from 1 to 65535)');
    expect(errorOf(() => registryOptionsFrom({}, { registry: ' ' })).code).toBe('INVALID_ARGUMENT');
  });

  it('rejects min > max naming both sources and values', () => {
    const error = errorOf(() => registryOptionsFrom({ INTERCEPTOR_PORT_MAX: '9000' }, { portMin: '9500' }));
    expect(error.code).toBe('INVALID_RANGE');
    expect(error.message).toContain('--port-min=9500 is greater than INTERCEPTOR_PORT_MAX=9000');
    const withDefault = errorOf(() => registryOptionsFrom({ INTERCEPTOR_PORT_MIN: '10000' }));
    expect(withDefault.message).toContain('INTERCEPTOR_PORT_MIN=10000 is greater than the default 9999');
  });

  it('accepts a one-port range', () => {
    expect(registryOptionsFrom({ INTERCEPTOR_PORT_MIN: '9000', INTERCEPTOR_PORT_MAX: '9000' }).range).toEqual({ start: 9000, end: 9000 });
  });
});

describe('parseReservedPorts', () => {
  it('reads single ports and ranges, with blanks and empty items', () => {
    expect(parseReservedPorts('8900, 8950-8960,,')).toEqual([
      { start: 8900, end: 8900 },
      { start: 8950, end: 8960 },
    ]);
    expect(registryOptionsFrom({ INTERCEPTOR_RESERVED_PORTS: '8900' }).reserved).toEqual([{ start: 8900, end: 8900 }]);
  });

  it.each([['89x0'], ['8960-8950'], ['1-2-3'], ['70000'], ['-5']])('rejects %s naming the variable and the entry', (value) => {
    const error = errorOf(() => registryOptionsFrom({ INTERCEPTOR_RESERVED_PORTS: `8900,${value}` }));
    expect(error.code).toBe('INVALID_ENV');
    expect(error.message).toContain(`INTERCEPTOR_RESERVED_PORTS="8900,${value}"`);
  });
});

describe('portOverrideFrom', () => {
  it('is undefined when unset or empty, the port when valid', () => {
    expect(portOverrideFrom({})).toBeUndefined();
    expect(portOverrideFrom({ INTERCEPTOR_PORT: '' })).toBeUndefined();
    expect(portOverrideFrom({ INTERCEPTOR_PORT: '9000' })).toBe(9000);
  });

  it('rejects an invalid value naming the variable', () => {
    const error = errorOf(() => portOverrideFrom({ INTERCEPTOR_PORT: '99999' }));
    expect(error.code).toBe('INVALID_ENV');
    expect(error.message).toContain('INTERCEPTOR_PORT="99999"');
  });
});

describe('settingsPathFor', () => {
  it('puts the settings beside the registry', () => {
    expect(settingsPathFor('/a/b/port_registry.json')).toBe('/a/b/interceptor-settings.json');
  });
});
