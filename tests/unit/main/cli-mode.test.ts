import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_SWITCH, cliArguments, cliEntryFile } from '../../../electron/main/cli-mode';

describe('cliArguments', () => {
  it('is null for a normal start, including a second launch with arguments of its own', () => {
    expect(cliArguments(['/opt/app/litellm-interceptor'])).toBeNull();
    expect(cliArguments(['/usr/bin/electron', '.', '--no-sandbox'])).toBeNull();
  });

  it('takes everything after `--` as the CLI’s, switch-like or not', () => {
    expect(cliArguments(['/app', '--ozone-platform=headless', '--disable-gpu', CLI_SWITCH, '--', 'run', '--port', '9000', '--json'])).toEqual(['run', '--port', '9000', '--json']);
    expect(cliArguments(['/app', CLI_SWITCH, '--'])).toEqual([]);
    expect(cliArguments(['/app', CLI_SWITCH, '--', '--', CLI_SWITCH])).toEqual(['--', CLI_SWITCH]);
  });

  it('without `--`, takes what follows the switch', () => {
    expect(cliArguments(['/app', CLI_SWITCH, 'list'])).toEqual(['list']);
  });

  it('ignores the switch when it is one of the user’s arguments (after `--`)', () => {
    expect(cliArguments(['/app', '--', CLI_SWITCH, 'list'])).toBeNull();
  });
});

describe('cliEntryFile', () => {
  it('is the unpacked CLI bundle in a package, dist/cli in a checkout', () => {
    expect(cliEntryFile({ mainDir: '/x/resources/app.asar/dist/main', isPackaged: true, resourcesPath: '/x/resources' })).toBe(
      path.join('/x/resources', 'app.asar.unpacked', 'dist', 'cli', 'interceptor.js'),
    );
    expect(cliEntryFile({ mainDir: '/src/dist/main', isPackaged: false, resourcesPath: '' })).toBe(path.join('/src/dist/cli/interceptor.js'));
  });
});
