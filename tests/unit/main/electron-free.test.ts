// The Electron runtime cannot be loaded under plain Node (requiring `electron` starts a download), so
// the logic of main and preload lives in modules that import electron for types only. This test
// keeps it that way: it lists the glue modules that import electron at run time, and checks no test
// reaches one of them through its imports.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/** Modules that are allowed to import electron at run time: the thin glue, never imported by tests. */
const GLUE = [
  'electron/main/app-protocol.ts',
  'electron/main/login-item.ts',
  'electron/main/main.ts',
  'electron/main/notifier.ts',
  'electron/main/single-instance.ts',
  'electron/main/tray.ts',
  'electron/main/window.ts',
  'electron/preload/preload.ts',
];

/** Run-time (not type-only) import specifiers of a TypeScript file. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypes = clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((element) => element.isTypeOnly);
      if (onlyTypes) continue;
    } else if (statement.isTypeOnly) continue;
    found.push(specifier.text);
  }
  return found;
}

function resolveLocal(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next form
    }
  }
  return null;
}

function tsFiles(folder: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('Electron-free modules', () => {
  it('only the glue modules import electron at run time', () => {
    const importers = [...tsFiles('electron/main'), ...tsFiles('electron/preload')]
      .filter((file) => runtimeImports(file).some((specifier) => specifier === 'electron' || specifier.startsWith('electron/')))
      .map((file) => path.relative(root, file))
      .sort();
    expect(importers).toEqual(GLUE);
  });

  it('no test reaches a glue module through its imports', () => {
    const glue = new Set(GLUE.map((file) => path.join(root, file)));
    const testFiles = ['tests/unit/main', 'tests/unit/security', 'tests/unit/packaging'].flatMap(tsFiles);
    expect(testFiles.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const test of testFiles) {
      const seen = new Set<string>();
      const queue = [test];
      while (queue.length > 0) {
        const file = queue.pop() as string;
        if (seen.has(file)) continue;
        seen.add(file);
        if (glue.has(file)) {
          offenders.push(`${path.relative(root, test)} → ${path.relative(root, file)}`);
          continue;
        }
        for (const specifier of runtimeImports(file)) {
          const next = resolveLocal(file, specifier);
          if (next && /\.tsx?$/.test(next)) queue.push(next);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
