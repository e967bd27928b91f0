// Lint rules, including the layer fence of ../shared/DESIGN.md: dependencies point downwards only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** One restricted-imports rule per layer; `regex` matches the import specifier as written. */
function fence(message, { names = [], regexes = [], requires = [] }) {
  return {
    // `require('electron')` would slip past no-restricted-imports (it only sees import syntax).
    'no-restricted-syntax': [
      'error',
      ...requires.map((pattern) => ({
        selector: `CallExpression[callee.name='require'] > Literal[value=/${pattern}/]`,
        message,
      })),
    ],
    'no-restricted-imports': [
      'error',
      {
        paths: names.map((name) => ({ name, message })),
        patterns: regexes.map((regex) => ({ regex, message })),
      },
    ],
  };
}

const electronModule = '^electron(/.*)?$';
const toMainOrPreload = '(^|/)(main|preload)(/|$)';
const toRenderer = '(^|/)renderer(/|$)';
const toElectronLayers = '(^|/)electron(/|$)';
const toCoreOrCli = '(^|/)(core|cli)(/|$)';
const nodeBuiltin = '^node:';

export const layerRules = [
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: fence('core and cli run under plain Node: never import electron, main, preload or renderer.', {
      regexes: [electronModule, toMainOrPreload, toRenderer],
      requires: ['^electron'],
    }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: fence('renderer is a browser page: import only shared/ (no Node built-ins, nothing under electron/).', {
      names: nodeBuiltins,
      regexes: [nodeBuiltin, toElectronLayers, electronModule],
    }),
  },
  {
    files: ['shared/**/*.ts'],
    rules: fence('shared/ is flat, runs anywhere and imports nothing of ours: no ../ imports, no electron, no Node built-ins.', {
      names: nodeBuiltins,
      regexes: [nodeBuiltin, toElectronLayers, toRenderer, electronModule, '^\\.\\./'],
    }),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: fence('preload may import only shared/ and electron (contextBridge, ipcRenderer).', {
      names: nodeBuiltins,
      regexes: [nodeBuiltin, toCoreOrCli, '(^|/)main(/|$)', toRenderer],
    }),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: fence('main is thin glue over core: it never imports cli or renderer code.', {
      regexes: ['(^|/)cli(/|$)', toRenderer],
    }),
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', '.tsbuild/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...layerRules,
);
