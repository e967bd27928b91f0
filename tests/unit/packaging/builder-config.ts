// Loads electron-builder.yml the way electron-builder does and validates it with electron-builder's
// own schema check (app-builder-lib's getConfig / validateConfiguration).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const projectRoot = path.resolve(import.meta.dirname, '../../..');

// Loose shapes: the test reads a few fields; electron-builder's schema check owns the rest.
export interface FileSet {
  from?: string;
  to?: string;
  filter?: string[];
}
export interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: Array<string | FileSet>;
  asar?: boolean;
  asarUnpack?: string[];
  extraResources?: Array<string | FileSet>;
  mac?: { category?: string; target?: unknown; icon?: string; hardenedRuntime?: boolean; extendInfo?: Record<string, unknown> };
  win?: { target?: unknown; icon?: string };
  linux?: { target?: unknown; icon?: string; executableName?: string; category?: string };
  deb?: { depends?: string[]; fpm?: string[] };
  directories?: { output?: string; buildResources?: string };
  [key: string]: unknown;
}

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
}

const configModule = require('app-builder-lib/out/util/config/config.js') as ConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled?: boolean) => unknown };

export function loadBuilderConfig(file = path.join(projectRoot, 'electron-builder.yml')): Promise<BuilderConfig> {
  return configModule.getConfig(projectRoot, file);
}

export function validateBuilderConfig(config: BuilderConfig): Promise<void> {
  return configModule.validateConfiguration(config, new DebugLogger(false));
}
