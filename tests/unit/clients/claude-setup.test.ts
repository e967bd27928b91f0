// Claude Code's .claude/settings.local.json: plan, apply, undo on fresh, existing, commented,
// malformed and read-only files; applying twice changes nothing.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupFixture, TOKEN, TOKEN_COMMAND } from './setup-fixture';

const FILE = '.claude/settings.local.json';

describe('Claude Code setup', () => {
  it('creates the settings with the base URL and an apiKeyHelper, never a key, and undo removes them', async () => {
    const f = await setupFixture();
    const plan = await f.plan('claude', 8901);
    const [change] = plan.preview.clients[0]!.files;
    expect(change).toMatchObject({ action: 'create', scope: 'project', shown: FILE });
    expect(change!.diff).toContain('+++ b/.claude/settings.local.json');
    expect(change!.diff).toContain('"ANTHROPIC_BASE_URL": "http://127.0.0.1:8901"');
    expect(plan.preview.clients[0]!.notes.join('\n')).toContain(`apiKeyHelper runs ${TOKEN_COMMAND}`);

    const result = await f.apply('claude', 8901);
    expect(result.written).toEqual([path.join(f.project, FILE)]);
    const written = JSON.parse(await f.read(FILE)) as Record<string, unknown>;
    expect(written).toEqual({ env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8901' }, apiKeyHelper: TOKEN_COMMAND });
    expect(await f.read(FILE)).not.toContain(TOKEN);

    const undone = await f.setup.undo(f.project);
    expect(undone.removed).toEqual([path.join(f.project, FILE)]);
    await expect(access(path.join(f.project, '.claude'))).rejects.toThrow(); // the folder it created went too
  });

  it('changes only its keys in an existing file, keeping comments, order and tab indentation; a second apply changes nothing', async () => {
    const f = await setupFixture();
    const original = '{\n\t// mine\n\t"permissions": { "allow": ["Bash(ls)"] },\n\t"env": {\n\t\t"FOO": "bar",\n\t\t"ANTHROPIC_BASE_URL": "http://127.0.0.1:9000"\n\t}\n}\n';
    await f.write(FILE, original);
    await f.apply('claude', 8902);
    const text = await f.read(FILE);
    expect(text).toContain('\t// mine\n\t"permissions": { "allow": ["Bash(ls)"] },');
    expect(text).toContain('\t\t"FOO": "bar",\n\t\t"ANTHROPIC_BASE_URL": "http://127.0.0.1:8902"');
    expect(text).toContain(`\t"apiKeyHelper": ${JSON.stringify(TOKEN_COMMAND)}`);

    const again = await f.plan('claude', 8902);
    expect(again.preview.clients[0]!.files[0]).toMatchObject({ action: 'unchanged', diff: '' });
    expect((await f.apply('claude', 8902)).written).toEqual([]);

    // Moving the port later and undoing restores the user's file exactly.
    await f.apply('claude', 8903);
    const undone = await f.setup.undo(f.project);
    expect(undone.restored).toHaveLength(1);
    expect(await f.read(FILE)).toBe(original);
  });

  it("leaves the user's own key and apiKeyHelper in place and says so", async () => {
    const f = await setupFixture();
    await f.write(FILE, JSON.stringify({ apiKeyHelper: '~/bin/my-key.sh' }, null, 2));
    const plan = await f.plan('claude', 8904);
    expect(plan.preview.clients[0]!.notes.join('\n')).toContain('keeps the apiKeyHelper already in the file');
    await f.apply('claude', 8904);
    expect(JSON.parse(await f.read(FILE))).toEqual({ apiKeyHelper: '~/bin/my-key.sh', env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8904' } });

    const g = await setupFixture();
    await g.write(FILE, JSON.stringify({ env: { ANTHROPIC_API_KEY: 'sk-own' } }));
    await g.apply('claude', 8905);
    const settings = JSON.parse(await g.read(FILE)) as { apiKeyHelper?: string; env: Record<string, string> };
    expect(settings.apiKeyHelper).toBeUndefined();
    expect(settings.env).toEqual({ ANTHROPIC_API_KEY: 'sk-own', ANTHROPIC_BASE_URL: 'http://127.0.0.1:8905' });
  });

  it('leaves a malformed file untouched and names it with the reason', async () => {
    const f = await setupFixture();
    const broken = '{ "env": { "A": 1 }\n';
    await f.write(FILE, broken);
    const plan = await f.plan('claude', 8906);
    const change = plan.preview.clients[0]!.files[0]!;
    expect(change.action).toBe('blocked');
    expect(change.problem).toMatch(/^\.claude\/settings\.local\.json cannot be parsed: not valid JSON \(CloseBraceExpected at line 2, column 1\); left untouched$/);
    const result = await f.apply('claude', 8906);
    expect(result.written).toEqual([]);
    expect(result.skipped).toEqual([{ file: path.join(f.project, FILE), reason: change.problem }]);
    expect(await f.read(FILE)).toBe(broken);

    const g = await setupFixture();
    await g.write(FILE, '["not", "an", "object"]');
    expect((await g.plan('claude', 8906)).preview.clients[0]!.files[0]!.problem).toContain('the top level is not a JSON object');
    const h = await setupFixture();
    await h.write(FILE, '{"env": "ANTHROPIC_BASE_URL=x"}');
    expect((await h.plan('claude', 8906)).preview.clients[0]!.files[0]!.problem).toContain('"env" is not an object');
  });

  it('leaves a read-only file untouched', async () => {
    const f = await setupFixture();
    await f.write(FILE, '{}\n', 0o444);
    const change = (await f.plan('claude', 8907)).preview.clients[0]!.files[0]!;
    expect(change).toMatchObject({ action: 'blocked', problem: '.claude/settings.local.json is read-only (mode 0444); left untouched' });
    expect((await f.apply('claude', 8907)).written).toEqual([]);
    expect(await f.read(FILE)).toBe('{}\n');
  });

  it('reports files that point at another port', async () => {
    const f = await setupFixture();
    await f.apply('claude', 8908);
    expect(await f.setup.staleFiles(f.project, 8908)).toEqual([]);
    expect(await f.setup.staleFiles(f.project, 8999)).toEqual([{ client: 'claude', file: path.join(f.project, FILE), port: 8908 }]);
  });
});
