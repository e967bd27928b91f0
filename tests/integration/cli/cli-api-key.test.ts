// What `serve` and `run` (headless, no OS keychain) say about the API key: a key kept as text is used
// and serve says where it is kept; a key the tray app encrypted cannot be read here, and both say what
// to do instead of running keyless in silence. Real CLI processes over real settings files.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSettings } from '../../../electron/core/settings/settings-store';
import { keychainVault } from '../../../electron/main/keychain-vault';
import { spawnCli, type CliResult } from '../../helpers/cli';
import { fakeSafeStorage } from '../../helpers/fake-safe-storage.mjs';
import { freePort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';

const KEY = 'sk-cli-test-0123456789abcdef';

async function registryWith(settings: 'text' | 'sealed'): Promise<{ home: string; registry: string; settingsFile: string }> {
  const home = await tempDir('cli-key-');
  const registry = path.join(home, 'state', 'port_registry.json');
  await mkdir(path.dirname(registry), { recursive: true });
  const settingsFile = path.join(path.dirname(registry), 'interceptor-settings.json');
  if (settings === 'text') {
    await writeFile(settingsFile, JSON.stringify({ apiKey: KEY }), { mode: 0o600 });
  } else {
    // As the tray app leaves it: encrypted with its keychain (stood in for at the Electron boundary).
    const store = openSettings({ dir: path.dirname(registry), keyVault: keychainVault(fakeSafeStorage(), 'darwin') });
    store.update({ apiKey: KEY });
    store.close();
  }
  return { home, registry, settingsFile };
}

/** Runs a long-lived verb until it says it is ready, then stops it with SIGTERM. */
async function untilReady(args: string[], home: string, env: Record<string, string>, cwd?: string): Promise<CliResult> {
  const started = spawnCli(args, { home, env, ...(cwd ? { cwd } : {}), timeoutMs: 30_000 });
  let out = '';
  await new Promise<void>((resolve) => {
    const check = (chunk: Buffer | string) => {
      out += String(chunk);
      if (out.includes('Ctrl-C to stop.')) resolve();
    };
    started.child.stdout.on('data', check);
    started.child.once('close', () => resolve());
  });
  started.child.kill('SIGTERM');
  return started.result;
}

describe('the API key in headless mode', () => {
  it('serve uses a key kept as text and says it is kept in the 0600 file, never printing it', async () => {
    const { home, registry, settingsFile } = await registryWith('text');
    const result = await untilReady(['serve', '--no-dashboard'], home, { INTERCEPTOR_REGISTRY: registry });
    expect(result.stdout).toContain(`api key: kept as text in ${settingsFile} (mode 0600`);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('serve over a key the tray app encrypted: warns what to do and says no key is usable', async () => {
    const { home, registry } = await registryWith('sealed');
    const result = await untilReady(['serve', '--no-dashboard'], home, { INTERCEPTOR_REGISTRY: registry });
    expect(result.stderr).toMatch(/encrypted with the OS keychain by the tray app.*set LITELLM_API_KEY/);
    expect(result.stdout).toContain('api key: none usable');
  });

  it('serve with LITELLM_API_KEY set says the key comes from there, and does not warn about the stored one', async () => {
    const { home, registry } = await registryWith('sealed');
    const result = await untilReady(['serve', '--no-dashboard'], home, { INTERCEPTOR_REGISTRY: registry, LITELLM_API_KEY: 'sk-from-env-000000000' });
    expect(result.stdout).toContain('api key: from LITELLM_API_KEY');
    expect(result.stderr).not.toMatch(/OS keychain/);
    expect(result.stdout).not.toContain('sk-from-env-000000000');
  });

  it('run over a key the tray app encrypted warns instead of running keyless in silence', async () => {
    const { home, registry } = await registryWith('sealed');
    const project = path.join(home, 'project');
    await mkdir(project);
    const port = await freePort();
    const result = await untilReady(['run'], home, { INTERCEPTOR_REGISTRY: registry, INTERCEPTOR_PORT: String(port) }, project);
    expect(result.stderr).toMatch(/encrypted with the OS keychain by the tray app.*set LITELLM_API_KEY/);
    expect(result.stdout).toMatch(/api key\s+none configured/);
  });
});
