// The seed's Python tool and this one share port_registry.json: each must read the other's file.
import { describe, expect, it } from 'vitest';
import { registryFixture } from './registry-fixture';

/** Exactly what CPython's json.dump(data, f, indent=2) writes for the seed's data (no trailing newline). */
const PYTHON_WRITTEN =
  '{\n  "version": "1.0",\n  "port_range": {\n    "start": 8888,\n    "end": 9999\n  },\n  "mappings": {\n' +
  '    "/Users/me/proj a": 8888,\n    "/Users/me/\\u65e5\\u672c \\u00fc": 8889\n  },\n  "next_available": 8890\n}';

/**
 * The seed's reading rules: a JSON object with exactly its four keys, version "1.0", integer range
 * ends, a mapping of path strings to integer ports, an integer next_available.
 */
function readBySeedRules(text: string) {
  const data = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(data)).toEqual(['version', 'port_range', 'mappings', 'next_available']);
  expect(data.version).toBe('1.0');
  const range = data.port_range as Record<string, unknown>;
  expect(Object.keys(range)).toEqual(['start', 'end']);
  expect(Number.isInteger(range.start) && Number.isInteger(range.end)).toBe(true);
  expect(Number.isInteger(data.next_available)).toBe(true);
  const mappings = data.mappings as Record<string, unknown>;
  for (const [project, port] of Object.entries(mappings)) {
    expect(typeof project).toBe('string');
    expect(Number.isInteger(port)).toBe(true);
  }
  return data as { mappings: Record<string, number>; next_available: number; port_range: { start: number; end: number } };
}

describe('seed compatibility', () => {
  it('reads a registry written by the seed (Python json.dump, \\u escapes) correctly', async () => {
    const f = await registryFixture();
    await f.write(PYTHON_WRITTEN);
    const view = await f.registry.read();
    expect(view.salvage).toBeNull();
    expect(view.readOnly).toBe(false);
    expect(view.nextAvailable).toBe(8890);
    expect(view.fileRange).toEqual({ start: 8888, end: 9999 });
    expect(view.mappings.map(({ project, port }) => ({ project, port }))).toEqual([
      { project: '/Users/me/proj a', port: 8888 },
      { project: '/Users/me/日本 ü', port: 8889 },
    ]);
    expect(await f.registry.lookup('/Users/me/日本 ü')).toBe(8889);
  });

  it('writes what the seed writes, byte for byte, for the same content', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/Users/me/proj a');
    await f.registry.allocate('/Users/me/日本 ü');
    expect(await f.text()).toBe(PYTHON_WRITTEN);
  });

  it('leaves a seed file it only reads untouched, and keeps its content and order when it adds a mapping', async () => {
    const f = await registryFixture();
    await f.write(PYTHON_WRITTEN);
    await f.registry.read();
    await f.registry.lookup('/Users/me/proj a');
    await f.registry.allocate('/Users/me/proj a'); // existing: no write
    expect(await f.text()).toBe(PYTHON_WRITTEN);

    await f.registry.allocate('/Users/me/third');
    const data = readBySeedRules(await f.text());
    expect(Object.entries(data.mappings)).toEqual([
      ['/Users/me/proj a', 8888],
      ['/Users/me/日本 ü', 8889],
      ['/Users/me/third', 8890],
    ]);
    expect(data.next_available).toBe(8891);
  });

  it('every file it writes passes the seed rules: after allocate, remove, prune, reset and a salvage', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/a');
    readBySeedRules(await f.text());
    await f.registry.remove({ port: 8888 });
    readBySeedRules(await f.text());
    await f.registry.allocate('/b');
    await f.registry.prune({ dryRun: false });
    readBySeedRules(await f.text());
    await f.write('{"version": "1.0", "mappings": {"/x": 9000,');
    await f.registry.read();
    expect(readBySeedRules(await f.text()).mappings).toEqual({ '/x': 9000 });
    await f.registry.reset();
    readBySeedRules(await f.text());
  });
});
