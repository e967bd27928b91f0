// The token command written into apiKeyHelper runs under /bin/sh: it must survive spaces and quotes.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { appCliArgv, currentCli, shellQuote, tokenCommand } from '../../../electron/core/clients';

describe('token command', () => {
  it('quotes paths for /bin/sh so the shell hands them back unchanged', () => {
    for (const text of ['/usr/bin/node', "/Users/o'neil/My Apps/interceptor.js", 'a"b$c`d\\e', '']) {
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
    }
  });

  it('names the runtime, the script, a non-default registry; the app in its CLI mode (never Node mode)', () => {
    expect(tokenCommand({ cli: ['/usr/bin/node', '/opt/x/dist/cli/interceptor.js'] })).toBe('/usr/bin/node /opt/x/dist/cli/interceptor.js token');
    expect(tokenCommand({ cli: appCliArgv('/opt/My App/app', 'linux'), registry: '/tmp/r egistry.json' })).toBe(
      "'/opt/My App/app' --ozone-platform=headless --disable-gpu --interceptor-cli -- --registry '/tmp/r egistry.json' token",
    );
    expect(tokenCommand({ cli: appCliArgv('/Applications/X.app/Contents/MacOS/X', 'darwin') })).toBe('/Applications/X.app/Contents/MacOS/X --interceptor-cli -- token');
  });

  it('recognises a process started as the interceptor CLI, and nothing else', () => {
    expect(currentCli(['/usr/bin/node', '/x/dist/cli/interceptor.js'], '/usr/bin/node', undefined)).toEqual(['/usr/bin/node', '/x/dist/cli/interceptor.js']);
    expect(currentCli(['/usr/bin/node', '/x/vitest.mjs'], '/usr/bin/node', undefined)).toBeUndefined();
    // Inside the desktop app the CLI's process.argv names the bundle, but the app must be started in CLI mode.
    expect(currentCli(['/opt/app/app', '/opt/app/resources/app.asar.unpacked/dist/cli/interceptor.js'], '/opt/app/app', '45.5.0')).toEqual(
      appCliArgv('/opt/app/app'),
    );
  });
});
