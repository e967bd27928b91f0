import { describe, expect, it } from 'vitest';
import { API_METHOD_NAMES, API_METHODS, type ApiMethodName } from '../../../shared/api';
import { ARGUMENT_VALIDATORS, validateCall } from '../../../shared/validate';

const PROJECT = '/home/user/projects/alpha';
const projectMethods = ['startProject', 'stopProject', 'reassignPort', 'revealFolder', 'previewHeaders', 'getRecentRequests', 'undoClientSetup', 'rewriteClientFiles'] as const;
const noArgMethods = API_METHOD_NAMES.filter((name) => !API_METHODS[name].takesArgument);

function refusal(method: unknown, arg: unknown) {
  const result = validateCall(method, arg);
  if (result.ok) throw new Error(`expected ${String(method)} to refuse ${JSON.stringify(arg)}`);
  return result;
}

describe('the method table', () => {
  it('has a validator for every method and nothing else', () => {
    expect(Object.keys(ARGUMENT_VALIDATORS).sort()).toEqual([...API_METHOD_NAMES].sort());
  });

  it('lists exactly the contract methods', () => {
    expect([...API_METHOD_NAMES].sort()).toEqual(
      [
        'getRecentRequests',
        'dismissNotice',
        'getClientToken',
        'rotateClientToken',
        'previewClientSetup',
        'applyClientSetup',
        'undoClientSetup',
        'rewriteClientFiles',
        'getSettings',
        'getSnapshot',
        'getUsage',
        'listMappings',
        'openProjectFolder',
        'previewHeaders',
        'reassignPort',
        'removeMapping',
        'resetRegistry',
        'revealFolder',
        'startProject',
        'stopProject',
        'updateSettings',
        'previewIdePortHeaders',
        'getIdePortRequests',
      ].sort(),
    );
  });
});

describe('validateCall: method names', () => {
  it.each(['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', ''])('refuses %j as UNKNOWN_METHOD', (name) => {
    expect(refusal(name, undefined).code).toBe('UNKNOWN_METHOD');
  });

  it.each([undefined, null, 42, {}, ['getSnapshot']])('refuses a non-string method name %j', (name) => {
    expect(refusal(name, undefined).code).toBe('UNKNOWN_METHOD');
  });

  it('cuts a huge method name short in the message', () => {
    const message = refusal('x'.repeat(100_000), undefined).message;
    expect(message.length).toBeLessThan(600);
  });
});

describe('methods without an argument', () => {
  it.each(noArgMethods)('%s accepts nothing, null and {}', (method) => {
    for (const arg of [undefined, null, {}]) {
      expect(validateCall(method, arg)).toEqual({ ok: true, method, arg: undefined });
    }
  });

  it.each(noArgMethods)('%s refuses an argument', (method) => {
    for (const arg of [{ project: PROJECT }, [], 'x', 0, false]) {
      const result = refusal(method, arg);
      expect(result.code).toBe('INVALID_ARGUMENT');
      expect(result.message).toContain(`${method}: takes no argument`);
    }
  });
});

describe.each(projectMethods)('%s({project})', (method: ApiMethodName) => {
  it('accepts an absolute POSIX or Windows path', () => {
    for (const project of [PROJECT, 'C:\\Users\\me\\proj', 'D:/work/x', '\\\\server\\share\\p', '/home/ünï côde/项目']) {
      expect(validateCall(method, { project })).toEqual({ ok: true, method, arg: { project } });
    }
  });

  it.each([
    ['no argument', undefined, 'argument must be an object (got nothing)'],
    ['null', null, 'argument must be an object (got null)'],
    ['an array', [PROJECT], 'argument must be an object (got an array)'],
    ['a string', PROJECT, 'argument must be an object (got a string)'],
    ['a Date', new Date(), 'argument must be an object (got a non-plain object)'],
    ['a missing field', {}, 'field "project" is required'],
    ['a number', { project: 5 }, 'project must be a path (got a number)'],
    ['a relative path', { project: 'projects/alpha' }, 'project must be an absolute path'],
    ['an empty path', { project: '' }, 'project must be an absolute path'],
    ['a NUL byte', { project: '/a\0b' }, 'project must be an absolute path without control characters'],
    ['a newline', { project: '/a\nb' }, 'project must be an absolute path without control characters'],
    ['a huge path', { project: `/${'a'.repeat(5000)}` }, 'project is longer than 4096 characters'],
    ['an extra field', { project: PROJECT, port: 1 }, 'unknown field "port" (expected project)'],
  ])('refuses %s, naming the field', (_label, arg, expected) => {
    const result = refusal(method, arg);
    expect(result.code).toBe('INVALID_ARGUMENT');
    expect(result.message).toContain(`${method}: `);
    expect(result.message).toContain(expected);
  });

  it('refuses prototype keys from parsed JSON', () => {
    for (const json of [`{"project":"${PROJECT}","__proto__":{"admin":true}}`, `{"project":"${PROJECT}","constructor":{}}`]) {
      const arg: unknown = JSON.parse(json);
      const result = refusal(method, arg);
      expect(result.message).toMatch(/key "(__proto__|constructor)" is not allowed/);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('hands the handler a fresh object, not the caller’s', () => {
    const arg = { project: PROJECT };
    const result = validateCall(method, arg);
    expect(result.ok && result.arg).not.toBe(arg);
  });
});

describe('removeMapping', () => {
  it('accepts either a project or a port', () => {
    expect(validateCall('removeMapping', { project: PROJECT })).toMatchObject({ ok: true, arg: { project: PROJECT } });
    expect(validateCall('removeMapping', { port: 8888 })).toMatchObject({ ok: true, arg: { port: 8888 } });
  });

  it.each([
    [{}, 'give exactly one of project or port'],
    [{ project: PROJECT, port: 8888 }, 'give exactly one of project or port'],
    [{ port: 0 }, 'port must be a whole number 1–65535 (got 0)'],
    [{ port: 65536 }, 'port must be a whole number 1–65535 (got 65536)'],
    [{ port: 8888.5 }, 'port must be a whole number 1–65535 (got 8888.5)'],
    [{ port: '8888' }, 'port must be a whole number 1–65535 (got a string)'],
    [{ port: null }, 'port must be a whole number 1–65535 (got null)'],
    [{ project: 'relative' }, 'project must be an absolute path'],
    [{ path: PROJECT }, 'unknown field "path"'],
  ])('refuses %j', (arg, expected) => {
    expect(refusal('removeMapping', arg).message).toContain(expected);
  });
});

describe.each(['previewClientSetup', 'applyClientSetup'] as const)('%s', (method) => {
  it('takes a project, and optionally clients (put in their fixed order) and a model', () => {
    expect(validateCall(method, { project: PROJECT })).toMatchObject({ ok: true, arg: { project: PROJECT } });
    expect(validateCall(method, { project: PROJECT, clients: ['junie', 'claude'], model: 'openai/gpt-4o-mini' })).toMatchObject({
      ok: true,
      arg: { project: PROJECT, clients: ['claude', 'junie'], model: 'openai/gpt-4o-mini' },
    });
  });

  it.each([
    [{ project: PROJECT, clients: [] }, 'clients must be a non-empty list of continue, claude, junie, codex (got an array)'],
    [{ project: PROJECT, clients: ['vim'] }, 'clients must be a non-empty list'],
    [{ project: PROJECT, clients: 'claude' }, 'clients must be a non-empty list of continue, claude, junie, codex (got a string)'],
    [{ project: PROJECT, model: 'a b' }, 'model must be a model name'],
    [{ project: PROJECT, model: 'x'.repeat(201) }, 'model must be a model name'],
    [{ project: PROJECT, model: 'm\n' }, 'model must be a model name'],
    [{ project: PROJECT, model: 7 }, 'model must be a model name of at most 200 letters, digits and . _ - : / @ + (got a number)'],
    [{ project: 'rel' }, 'project must be an absolute path'],
    [{ project: PROJECT, extra: 1 }, 'unknown field "extra"'],
  ])('refuses %j', (arg, expected) => {
    expect(refusal(method, arg).message).toContain(expected);
  });
});

describe('openProjectFolder', () => {
  it('takes {path}', () => {
    expect(validateCall('openProjectFolder', { path: PROJECT })).toMatchObject({ ok: true, arg: { path: PROJECT } });
    expect(refusal('openProjectFolder', { project: PROJECT }).message).toContain('unknown field "project" (expected path)');
    expect(refusal('openProjectFolder', { path: '~/x' }).message).toContain('path must be an absolute path');
  });
});

describe('updateSettings', () => {
  it('accepts known keys and null (back to the default)', () => {
    const arg = { targetUrl: 'https://litellm.example.com:4000', apiKey: null, headerProfile: { endUserId: true } };
    expect(validateCall('updateSettings', arg)).toMatchObject({ ok: true, arg });
  });

  it.each([
    [{}, 'settings update names no setting'],
    [{ targetURL: 'http://x' }, 'unknown setting "targetURL"'],
    [{ targetUrl: 'ftp://x' }, 'targetUrl: must be an http:// or https:// URL'],
    [{ targetUrl: 7 }, 'targetUrl: must be a URL (got a number)'],
    [{ portRange: { start: 9000, end: 8000 } }, 'portRange: start (9000) must not be above end (8000)'],
    [{ portRange: { start: 9000 } }, 'portRange: end must be a port 1–65535'],
    [{ headerProfile: { litellm: 'yes' } }, 'headerProfile: litellm must be true or false (got a string)'],
    [{ headerProfile: { bogus: true } }, 'headerProfile: has unknown switch "bogus"'],
    [{ pinnedProjects: ['relative/path'] }, 'pinnedProjects: entry 0 "relative/path" is not an absolute path'],
    [{ dashboardPort: -1 }, 'dashboardPort: must be a port 1–65535, or 0 to pick a free port (got -1)'],
    [[], 'settings must be an object (got an array)'],
  ])('refuses %j, naming the key', (arg, expected) => {
    const result = refusal('updateSettings', arg);
    expect(result.code).toBe('INVALID_ARGUMENT');
    expect(result.message).toContain('updateSettings: ');
    expect(result.message).toContain(expected);
  });

  it('refuses prototype keys at the top and inside headerProfile', () => {
    expect(refusal('updateSettings', JSON.parse('{"__proto__":{"x":1}}')).message).toContain('key "__proto__" is not allowed');
    expect(refusal('updateSettings', JSON.parse('{"headerProfile":{"__proto__":{"x":1}}}')).message).toContain(
      'headerProfile: has unknown switch "__proto__"',
    );
  });

  it('never echoes an API key, valid or not', () => {
    const secret = 'sk has spaces-abcdef123456';
    expect(refusal('updateSettings', { apiKey: secret }).message).not.toContain('abcdef');
  });
});
