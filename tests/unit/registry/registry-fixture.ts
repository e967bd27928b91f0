// A registry in a fresh temp folder, with a configurable range and (by default) a port probe that
// calls every port free, so allocation order does not depend on what else runs on this machine.
// Tests about busy ports pass the real probe.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openRegistry } from '../../../electron/core/registry/index';
import type { PortRegistry, RegistryOptions, SalvageReport } from '../../../electron/core/registry/index';
import { tempDir } from '../../helpers/temp';

export interface Fixture {
  dir: string;
  file: string;
  registry: PortRegistry;
  salvages: SalvageReport[];
  reopen(overrides?: Partial<RegistryOptions>): PortRegistry;
  write(text: string): Promise<void>;
  text(): Promise<string>;
  json(): Promise<{ version: string; port_range: { start: number; end: number }; mappings: Record<string, number>; next_available: number }>;
}

export async function registryFixture(overrides: Partial<RegistryOptions> = {}): Promise<Fixture> {
  const dir = await tempDir('interceptor-registry-');
  const file = path.join(dir, 'litellm', 'port_registry.json');
  const salvages: SalvageReport[] = [];
  const base: RegistryOptions = {
    file,
    range: { start: 8888, end: 9999 },
    rangeSource: { start: 'default', end: 'default' },
    reserved: [],
    isPortFree: async () => true,
    onSalvage: (report) => salvages.push(report),
  };
  const reopen = (more: Partial<RegistryOptions> = {}) => openRegistry({ ...base, ...overrides, ...more });
  const fixture: Fixture = {
    dir,
    file,
    salvages,
    registry: reopen(),
    reopen,
    async write(text) {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
    },
    text: () => readFile(file, 'utf8'),
    async json() {
      return JSON.parse(await readFile(file, 'utf8'));
    },
  };
  return fixture;
}

/** A registry file as the seed's Python tool writes it: json.dump(data, f, indent=2). */
export function seedText(mappings: Record<string, number>, nextAvailable: number, range = { start: 8888, end: 9999 }): string {
  return JSON.stringify({ version: '1.0', port_range: range, mappings, next_available: nextAvailable }, null, 2);
}
