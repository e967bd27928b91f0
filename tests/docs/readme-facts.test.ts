// Facts the README states that live elsewhere too, so the two cannot drift apart.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };

it('states the Node.js versions package.json declares in engines', () => {
  expect(pkg.engines.node).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
  // In a Markdown table the pipes are escaped.
  expect(readme).toContain(`\`engines\` in package.json: \`${pkg.engines.node.replaceAll('|', '\\|')}\``);
  expect(readme).toMatch(/Node\.js 20\.19 or a later 20\.x, 22\.12 or later, or 24 and later/);
  expect(readme).toContain('`npm warn EBADENGINE`');
});

it('keeps the two commands a newcomer starts with, verbatim', () => {
  expect(readme).toContain('\n```bash\nnpm ci && npm start\n```\n');
  expect(readme).toContain('\n```bash\nnpm ci && npm test\n```\n');
  expect(pkg.scripts.start).toBe('node scripts/start.mjs');
});
