import { describe, expect, it } from 'vitest';
import { pythonJsonDump, pythonJsonString } from '../../../electron/core/registry/python-json';

describe('pythonJsonDump', () => {
  it('matches json.dumps(value, indent=2) byte for byte', () => {
    // Produced by CPython 3: json.dumps(value, indent=2) for the same value.
    const python =
      '{\n  "version": "1.0",\n  "port_range": {\n    "start": 8888,\n    "end": 9999\n  },\n  "mappings": {\n' +
      '    "/tmp/p \\u00e9 2": 8890,\n    "/x/\\ud83d\\ude00\\u007f\\"\\\\\\t": 8891,\n    "/e": {}\n  },\n  "next_available": 8891\n}';
    const value = new Map<string, unknown>([
      ['version', '1.0'],
      ['port_range', { start: 8888, end: 9999 }],
      ['mappings', new Map<string, unknown>([['/tmp/p é 2', 8890], ['/x/😀\u007f"\\\t', 8891], ['/e', {}]])],
      ['next_available', 8891],
    ]);
    expect(pythonJsonDump(value)).toBe(python);
  });

  it('escapes control characters the way Python does', () => {
    expect(pythonJsonString('a\nb\rc\bd\fe\u0001')).toBe('"a\\nb\\rc\\bd\\fe\\u0001"');
  });

  it('round-trips through JSON.parse', () => {
    const value = { a: ['x', 1, true, null, { b: [] }], 'ü/😀': -2.5 };
    expect(JSON.parse(pythonJsonDump(value))).toEqual(value);
  });

  it('prints empty containers inline', () => {
    expect(pythonJsonDump({ a: {}, b: [] })).toBe('{\n  "a": {},\n  "b": []\n}');
  });
});
