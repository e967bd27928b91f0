// The layer fence of DESIGN.md is enforced by eslint.config.js; prove that each rule fires on a
// deliberately bad import (and stays quiet on a good one) by linting code as if it lived in that
// layer, through ESLint's own Node API and the project's real config.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const eslint = new ESLint({ cwd: REPO_ROOT });

/** The fence messages (no-restricted-imports, and no-restricted-syntax for require) ESLint reports for `code` placed at `file`. */
async function fenceMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  expect(result, `no lint result for ${file}`).toBeDefined();
  const fatal = result?.messages.filter((m) => m.fatal) ?? [];
  expect(fatal, JSON.stringify(fatal)).toEqual([]);
  const fenceRules = new Set(['no-restricted-imports', 'no-restricted-syntax']);
  return (result?.messages ?? []).filter((m) => fenceRules.has(m.ruleId ?? '')).map((m) => m.message);
}

const CORE_CLI = /core and cli run under plain Node: never import electron/;
const RENDERER = /renderer is a browser page: import only shared\//;
const SHARED = /shared\/ is flat, runs anywhere and imports nothing of ours/;
const PRELOAD = /preload may import only shared\/ and electron/;

describe('layer fence (eslint no-restricted-imports)', () => {
  it.each([
    ['electron/core/bad.ts', "import { app } from 'electron';\nexport const a = app;", CORE_CLI],
    ['electron/core/registry/bad.ts', "export { ipcMain } from 'electron';", CORE_CLI],
    ['electron/core/bad.ts', "import type { BrowserWindow } from 'electron/main';\nexport type W = BrowserWindow;", CORE_CLI],
    ['electron/cli/bad.ts', "import { app } from 'electron';\nexport const a = app;", CORE_CLI],
    ['electron/core/bad.ts', "// eslint-disable-next-line @typescript-eslint/no-require-imports\nconst { app } = require('electron');\nexport const a = app;", CORE_CLI],
    ['electron/core/bad.ts', "import { x } from '../main/x';\nexport const y = x;", CORE_CLI],
    ['electron/cli/commands/bad.ts', "import { x } from '../../preload/x';\nexport const y = x;", CORE_CLI],
    ['renderer/bad.ts', "import fs from 'node:fs';\nexport const f = fs;", RENDERER],
    ['renderer/bad.ts', "import fs from 'fs';\nexport const f = fs;", RENDERER],
    ['renderer/bad.ts', "import { x } from '../electron/core/x';\nexport const y = x;", RENDERER],
    ['renderer/bad.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;", RENDERER],
    ['shared/bad.ts', "import { x } from '../electron/core/x';\nexport const y = x;", SHARED],
    ['shared/bad.ts', "import path from 'node:path';\nexport const p = path;", SHARED],
    ['shared/bad.ts', "import path from 'path';\nexport const p = path;", SHARED],
    ['electron/preload/bad.ts', "import { x } from '../core/x';\nexport const y = x;", PRELOAD],
    ['electron/preload/bad.ts', "import fs from 'node:fs';\nexport const f = fs;", PRELOAD],
  ])('%s: rejects %j', async (file, code, message) => {
    const messages = await fenceMessages(file, code);
    // One import may match several restrictions of the layer (a name and a pattern): each says why.
    expect(messages.length).toBeGreaterThanOrEqual(1);
    for (const text of messages) expect(text).toMatch(message);
  });

  it.each([
    ['electron/core/good.ts', "import { readFile } from 'node:fs/promises';\nimport { x } from '../../shared/x';\nexport const y = [readFile, x];"],
    ['electron/cli/good.ts', "import { openRegistry } from '../core/registry/index';\nexport const o = openRegistry;"],
    ['renderer/good.ts', "import { x } from '../shared/x';\nexport const y = x;"],
    ['shared/good.ts', "import { x } from './x';\nexport const y = x;"],
    ['electron/preload/good.ts', "import { contextBridge } from 'electron';\nimport { x } from '../../shared/x';\nexport const y = [contextBridge, x];"],
    ['electron/main/good.ts', "import { app } from 'electron';\nimport { x } from '../core/x';\nexport const y = [app, x];"],
  ])('%s: accepts %j', async (file, code) => {
    expect(await fenceMessages(file, code)).toEqual([]);
  });
});
