// Every test file runs with a throw-away HOME and no inherited Interceptor settings, so a test can
// never read or write the user's real registry or settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const home = mkdtempSync(path.join(tmpdir(), 'interceptor-home-'));
// A setup file's hooks run for every test file: the HOME goes with the file that made it.
afterAll(() => rmSync(home, { recursive: true, force: true, maxRetries: 3 }));
process.env.HOME = home;
process.env.USERPROFILE = home;
process.env.XDG_CONFIG_HOME = path.join(home, '.config');
process.env.APPDATA = path.join(home, 'AppData', 'Roaming');
for (const name of Object.keys(process.env)) {
  if (name.startsWith('INTERCEPTOR_') || name === 'TARGET_LLM_URL' || name === 'LITELLM_API_KEY') {
    delete process.env[name];
  }
}
