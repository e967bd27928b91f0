import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../electron/core/registry/registry-parse';
import type { ParsedRegistry } from '../../../electron/core/registry/registry-parse';

const RANGE = { start: 8888, end: 9999 };
const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string) => parseRegistry(bytes(text), RANGE);
const mappingsOf = (parsed: ParsedRegistry) => (parsed.kind === 'empty' ? [] : [...parsed.doc.mappings]);

const SEED = `{
  "version": "1.0",
  "port_range": {
    "start": 8888,
    "end": 9999
  },
  "mappings": {
    "/Users/username/project1": 8888,
    "/Users/username/project2": 8889
  },
  "next_available": 8890
}`;

describe('parseRegistry', () => {
  it('reads the seed format as valid, keeping file order', () => {
    const parsed = parse(SEED);
    expect(parsed.kind).toBe('valid');
    if (parsed.kind !== 'valid') return;
    expect(parsed.doc.version).toBe('1.0');
    expect(parsed.doc.portRange).toEqual({ start: 8888, end: 9999 });
    expect(parsed.doc.nextAvailable).toBe(8890);
    expect(mappingsOf(parsed)).toEqual([
      ['/Users/username/project1', 8888],
      ['/Users/username/project2', 8889],
    ]);
  });

  it('treats an empty or blank file as empty', () => {
    expect(parse('').kind).toBe('empty');
    expect(parse('  \n\t').kind).toBe('empty');
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(parse(`\ufeff${SEED}`).kind).toBe('valid');
  });

  it('accepts next_available one past the top of the range, as the seed may leave it', () => {
    expect(parse(SEED.replace('"next_available": 8890', '"next_available": 10000')).kind).toBe('valid');
  });

  it('keeps unknown top-level keys', () => {
    const parsed = parse(SEED.replace('"version": "1.0",', '"version": "1.0",\n  "note": {"a": 1},'));
    expect(parsed.kind).toBe('valid');
    if (parsed.kind === 'valid') expect(parsed.doc.extras).toEqual([['note', { a: 1 }]]);
  });

  it('recognises a newer version and reads what it can', () => {
    const parsed = parse(SEED.replace('"1.0"', '"2.0"'));
    expect(parsed.kind).toBe('newer');
    if (parsed.kind !== 'newer') return;
    expect(parsed.version).toBe('2.0');
    expect(mappingsOf(parsed)).toHaveLength(2);
    expect(parse(SEED.replace('"1.0"', '"1.1"')).kind).toBe('newer');
  });

  it('salvages a truncated file, never trusting a number cut off by the end of the file', () => {
    const cut = SEED.slice(0, SEED.indexOf('8889') + 2); // ... "/Users/username/project2": 88
    const parsed = parse(cut);
    expect(parsed.kind).toBe('corrupt');
    expect(mappingsOf(parsed)).toEqual([['/Users/username/project1', 8888]]);
    if (parsed.kind === 'corrupt') {
      expect(parsed.problems.join()).toMatch(/not valid JSON/);
      expect(parsed.doc.portRange).toEqual({ start: 8888, end: 9999 });
    }
  });

  it('salvages around a syntax error in the middle', () => {
    const broken = SEED.replace('8888,', '8888,,').replace('"next_available": 8890', '"next_available": 8890,');
    const parsed = parse(broken);
    expect(parsed.kind).toBe('corrupt');
    expect(mappingsOf(parsed)).toHaveLength(2);
    if (parsed.kind === 'corrupt') expect(parsed.doc.nextAvailable).toBe(8890);
  });

  it('keeps every well-formed mapping of a wrongly typed file and reports each dropped one', () => {
    const text = JSON.stringify({
      version: '1.0',
      port_range: { start: 8888, end: 9999 },
      mappings: {
        '/ok/a': 8888,
        '/bad/string-port': '8889',
        'relative/path': 8890,
        '/bad/fraction': 8891.5,
        '/bad/too-big': 70000,
        '/bad/zero': 0,
        '/dup/second': 8888,
        '/ok/b': 8892,
      },
      next_available: 8893,
    });
    const parsed = parse(text);
    expect(parsed.kind).toBe('corrupt');
    if (parsed.kind !== 'corrupt') return;
    expect(mappingsOf(parsed)).toEqual([
      ['/ok/a', 8888],
      ['/ok/b', 8892],
    ]);
    const reasons = Object.fromEntries(parsed.dropped.map((d) => [d.key, d.reason]));
    expect(reasons['/bad/string-port']).toMatch(/whole number/);
    expect(reasons['relative/path']).toMatch(/absolute/);
    expect(reasons['/bad/fraction']).toMatch(/whole number/);
    expect(reasons['/bad/too-big']).toMatch(/whole number/);
    expect(reasons['/bad/zero']).toMatch(/whole number/);
    expect(reasons['/dup/second']).toBe('port 8888 is already mapped to /ok/a');
    expect(parsed.dropped.find((d) => d.key === '/bad/string-port')?.value).toBe('"8889"');
  });

  it('reports a missing or wrong version, range, mappings and next_available', () => {
    const parsed = parse(JSON.stringify({ port_range: { start: 9999, end: 8888 }, mappings: [], next_available: 'x' }));
    expect(parsed.kind).toBe('corrupt');
    if (parsed.kind !== 'corrupt') return;
    expect(parsed.problems).toEqual([
      '"version" is missing',
      expect.stringMatching(/^"port_range" is \{"start":9999,"end":8888\}/),
      expect.stringMatching(/^"mappings" is not an object/),
      expect.stringMatching(/^"next_available" is "x"/),
    ]);
    // Unusable range and next_available fall back to the configured ones.
    expect(parsed.doc.portRange).toEqual(RANGE);
    expect(parsed.doc.nextAvailable).toBe(8888);
  });

  it('calls a non-object top level corrupt but still salvages mappings from its text', () => {
    const parsed = parse('[{"/a/b": 9000}]');
    expect(parsed.kind).toBe('corrupt');
    expect(mappingsOf(parsed)).toEqual([['/a/b', 9000]]);
  });

  it('calls invalid UTF-8 corrupt (so the original bytes get kept aside)', () => {
    const good = bytes(SEED);
    const bad = new Uint8Array([...good.slice(0, 20), 0xff, 0xfe, ...good.slice(20)]);
    const parsed = parseRegistry(bad, RANGE);
    expect(parsed.kind).toBe('corrupt');
    if (parsed.kind === 'corrupt') expect(parsed.problems[0]).toMatch(/UTF-8/);
  });

  it('accepts Windows project keys and rejects keys with NUL', () => {
    const parsed = parse(JSON.stringify({ version: '1.0', port_range: RANGE, mappings: { 'C:\\Users\\me\\proj': 8888, '/a\u0000b': 8889 }, next_available: 8890 }));
    expect(mappingsOf(parsed)).toEqual([['C:\\Users\\me\\proj', 8888]]);
  });

  it('keeps a project named __proto__ as an ordinary mapping', () => {
    const parsed = parse('{"version":"1.0","port_range":{"start":1,"end":9},"mappings":{"/__proto__":5,"__proto__":6},"next_available":1}');
    expect(mappingsOf(parsed)).toEqual([['/__proto__', 5]]);
  });
});
