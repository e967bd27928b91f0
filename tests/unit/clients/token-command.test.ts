// The token command written into apiKeyHelper runs under /bin/sh: it must survive spaces and quotes.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { currentCli, shellQuote, tokenCommand } from '../../../electron/core/clients';

describe('token command', () => {
  it('quotes paths for /bin/sh so the shell hands them back unchanged', () => {
    for (const text of ['/usr/bin/node', "/Users/o'neil/My Apps/interceptor.js", 'a"b$c`d\\e', '']) {
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
    }
  });

  it('names the runtime, the script, a non-default registry, and the app runtime switch', () => {
    expect(tokenCommand({ cli: ['/usr/bin/node', '/opt/x/dist/cli/interceptor.js'] })).toBe('/usr/bin/node /opt/x/dist/cli/interceptor.js token');
    expect(tokenCommand({ cli: ['/opt/My App/app', '/opt/cli.js'], registry: '/tmp/r egistry.json', runAsNode: true })).toBe(
      "ELECTRON_RUN_AS_NODE=1 '/opt/My App/app' /opt/cli.js --registry '/tmp/r egistry.json' token",
    );
  });

  it('recognises a process started as the interceptor CLI, and nothing else', () => {
    expect(currentCli(['/usr/bin/node', '/x/dist/cli/interceptor.js'], '/usr/bin/node')).toEqual(['/usr/bin/node', '/x/dist/cli/interceptor.js']);
    expect(currentCli(['/usr/bin/node', '/x/vitest.mjs'], '/usr/bin/node')).toBeUndefined();
  });
});
