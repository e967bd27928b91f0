import { describe, expect, it } from 'vitest';
import {
  ideWideNote,
  baseUrl,
  clientHost,
  continueYamlSnippet,
  ideWideSnippets,
  jetbrainsAiAssistantSnippet,
  proxyAiEndpoint,
  redactSecret,
} from '../../../shared/format';

describe('client addresses', () => {
  it('builds the base URL and the ProxyAI endpoint', () => {
    expect(baseUrl(8888)).toBe('http://127.0.0.1:8888/v1');
    expect(proxyAiEndpoint(8901)).toBe('http://127.0.0.1:8901/v1/chat/completions');
  });

  it('dials loopback for wildcard binds and brackets IPv6', () => {
    expect(clientHost('0.0.0.0')).toBe('127.0.0.1');
    expect(clientHost('::')).toBe('[::1]');
    expect(clientHost('::1')).toBe('[::1]');
    expect(clientHost('localhost')).toBe('localhost');
    expect(baseUrl(9000, '::1')).toBe('http://[::1]:9000/v1');
  });
});

describe('snippets', () => {
  it('writes a Continue config.yaml models entry with an openai provider and apiBase', () => {
    expect(continueYamlSnippet(8890, { name: 'alpha', model: 'gpt-4o' })).toBe(
      [
        'models:',
        '  - name: "alpha"',
        '    provider: openai',
        '    model: "gpt-4o"',
        '    apiBase: "http://127.0.0.1:8890/v1"',
        '    roles:',
        '      - chat',
        '      - edit',
        '      - apply',
      ].join('\n'),
    );
  });

  it('quotes names YAML would misread and leaves a placeholder model', () => {
    const yaml = continueYamlSnippet(8890, { name: 'a: "b" # c\nd' });
    expect(yaml).toContain('  - name: "a: \\"b\\" # c\\nd"');
    expect(yaml).toContain('    model: "MODEL_NAME"');
  });

  it('tells JetBrains AI Assistant users the base URL', () => {
    expect(jetbrainsAiAssistantSnippet(8888)).toContain('URL: http://127.0.0.1:8888/v1');
  });
});

describe('IDE-wide snippets', () => {
  it('point IDE-wide clients at the shared IDE port and per-project ones at the project port', () => {
    const snippets = ideWideSnippets(8895, 'alpha', undefined, 8887);
    expect(snippets.map((s) => s.id)).toEqual(['base-url', 'jetbrains', 'continue', 'proxyai']);
    const text = Object.fromEntries(snippets.map((s) => [s.id, s.text]));
    expect(text['base-url']).toContain('127.0.0.1:8895');
    expect(text.continue).toContain('127.0.0.1:8895');
    expect(text.jetbrains).toContain('127.0.0.1:8887');
    expect(text.proxyai).toBe('http://127.0.0.1:8887/v1/chat/completions');
    expect(ideWideNote('http://127.0.0.1:8887/v1')).toContain('shared IDE port (http://127.0.0.1:8887/v1)');
  });

  it("fall back to the project's port, saying what that costs, while the IDE port is not served", () => {
    for (const snippet of ideWideSnippets(8895, 'alpha')) expect(snippet.text).toContain('127.0.0.1:8895');
    expect(ideWideNote(null)).toContain('billed to this one');
  });
});

describe('redactSecret', () => {
  it('keeps a recognisable prefix and the last four characters of long keys', () => {
    expect(redactSecret('sk-1234567890abcdefwxyz')).toBe('sk-…wxyz');
    expect(redactSecret('abcdefghijklmnopqrstuv')).toBe('abc…stuv');
  });

  it('reveals less of short keys', () => {
    expect(redactSecret('12345678ab')).toBe('…ab');
    expect(redactSecret('short')).toBe('…');
    expect(redactSecret('')).toBe('…');
  });

  it('never shows more than seven characters of any key', () => {
    for (let length = 0; length < 80; length++) {
      const key = 'k'.repeat(length);
      expect(redactSecret(key).replace('…', '').length).toBeLessThanOrEqual(Math.min(7, Math.floor(length / 2)));
    }
  });
});
