// Half-written and damaged copies of every JetBrains fixture: the parser never throws, a damaged file
// is an error with a position inside the file (or, when the damage left well-formed XML, a parse of
// what is there), and discovery's file reader keeps the last good view across any run of them.
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfigFolderFiles, type SettingsFileState } from '../../../electron/core/discovery/jetbrains/config-folder-files';
import { parsePathMacrosXml } from '../../../electron/core/discovery/jetbrains/path-macros-file';
import { parseRecentProjectsXml } from '../../../electron/core/discovery/jetbrains/recent-projects-file';
import { parseXml } from '../../../electron/core/discovery/jetbrains/settings-xml';
import { tempDir } from '../../helpers/temp';
import { fixture, mkdirp } from '../../fixtures/jetbrains/fixtures';

const FIXTURE_ROOT = path.resolve(import.meta.dirname, '../../fixtures/jetbrains');
// Fixed seed and run count: the same cases on every machine, a few seconds in all.
const SEED = 0x18_2026;
const RUNS_PER_FIXTURE = 40;

const fixtureNames = readdirSync(FIXTURE_ROOT, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.xml'))
  .map((name) => name.split(path.sep).join('/'))
  .sort();
const isMacros = (name: string): boolean => path.basename(name) === 'path.macros.xml';

/** What discovery sees of a text: the records (or macros) as plain data, or the error. */
function view(name: string, text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (isMacros(name)) {
    const parsed = parsePathMacrosXml(text);
    return parsed.ok ? { ok: true, value: parsed.macros } : parsed;
  }
  const parsed = parseRecentProjectsXml(text);
  return parsed.ok ? { ok: true, value: parsed.records } : parsed;
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };

// Fragments that matter to an XML parser, and what a bad merge or a half-synced folder leaves.
const NASTY = [
  '<', '>', '&', '"', "'", '/', '=', ';', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '&amp;', '&#0;', '&#x1F680;',
  '&unknown;', '\u0000', '\uFEFF', '\uFFFE', '\uD800', '\r', '\r\n', '\n<<<<<<< HEAD\n', '\n=======\n', '\n>>>>>>> theirs\n',
  '</entry>', '<entry key="/x">', '<!DOCTYPE a [<!ENTITY e "x">]>', ' opened="true"', '/>',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

function apply(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
  }
}

/** A damaged text's error names a line and column inside it (lines and columns counted as the parser counts them). */
function expectErrorInside(text: string, error: string): void {
  const match = /^line (\d+), column (\d+): ./.exec(error);
  expect(match, error).not.toBeNull();
  const [line, column] = [Number(match?.[1]), Number(match?.[2])];
  // Lines end as XML says (CR LF, CR or LF) and columns count code points, as the parser counts them.
  const lines = text.split(/\r\n|\r|\n/);
  expect(line).toBeGreaterThanOrEqual(1);
  expect(line).toBeLessThanOrEqual(lines.length);
  expect(column).toBeGreaterThanOrEqual(1);
  expect(column).toBeLessThanOrEqual([...(lines[line - 1] ?? '')].length + 1);
}

describe('settings XML under damage', () => {
  it('finds the fixtures', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(12);
    expect(fixtureNames).toContain('macros/path.macros.xml');
  });

  it.each(fixtureNames)('every truncation of %s is an error at a position, or the whole view', (name) => {
    const text = fixture(name);
    const whole = view(name, text);
    for (let length = 0; length < text.length; length++) {
      const cut = text.slice(0, length);
      const seen = view(name, cut);
      // Only a cut in the trailing whitespace can leave a well-formed file, and then nothing is lost.
      if (seen.ok) expect(seen).toEqual(whole);
      else expectErrorInside(cut, seen.error);
    }
  });

  it.each(fixtureNames)('mutated copies of %s parse or fail with a position, never throw', (name) => {
    const text = fixture(name);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const damaged = mutations.reduce(apply, text);
        expect(() => parseXml(damaged)).not.toThrow();
        const seen = view(name, damaged);
        if (!seen.ok) expectErrorInside(damaged, seen.error);
      }),
      { seed: SEED, numRuns: RUNS_PER_FIXTURE * 3 },
    );
  });

  it.each(fixtureNames)('discovery keeps the last good view of %s through saves of damaged copies', async (name) => {
    const configDir = await tempDir('ide-fuzz-');
    const fileName = isMacros(name) ? 'path.macros.xml' : 'recentProjects.xml';
    const file = path.join(mkdirp(path.join(configDir, 'options')), fileName);
    // Start from a good view: the fixture itself, or (for the broken ones) a good file of the same kind.
    const good = fixture(name.startsWith('broken/') ? 'modern/recentProjects-intellij.xml' : name);
    const linux = { platform: 'linux' as const };
    const stateOf = (files: Awaited<ReturnType<typeof readConfigFolderFiles>>): SettingsFileState<unknown> =>
      (isMacros(name) ? files.macros : files.recent.find((f) => f.name === fileName)) as SettingsFileState<unknown>;

    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(mutation, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), async (saves) => {
        await writeFile(file, good);
        let files = await readConfigFolderFiles({ configDir }, undefined, linux);
        let lastGood: unknown = stateOf(files).value;
        expect(stateOf(files).status).toBe('ok');
        let text = fixture(name);
        for (const mutations of saves) {
          // As the file comes back from disk: a lone surrogate a mutation split off is stored as U+FFFD.
          text = Buffer.from(mutations.reduce(apply, text), 'utf8').toString('utf8');
          await writeFile(file, text);
          files = await readConfigFolderFiles({ configDir }, files, linux);
          const state = stateOf(files);
          const seen = view(name, text);
          if (seen.ok) {
            expect(state).toMatchObject({ status: 'ok', stale: false });
            expect(state.value).toEqual(seen.value);
            lastGood = state.value;
          } else {
            expect(state).toMatchObject({ status: 'error', stale: true, error: seen.error });
            expect(state.value).toEqual(lastGood);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS_PER_FIXTURE },
    );
  });
});
