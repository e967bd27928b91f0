// Serialises JSON the way Python's `json.dump(value, file, indent=2)` does (ensure_ascii on, ", " and
// ": " separators, no trailing newline), so a registry we write is byte-for-byte what the seed's
// Python tool would have written for the same content, and diffs between the two tools stay empty.

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A JSON string literal with every character outside printable ASCII escaped as \uXXXX (lowercase hex). */
export function pythonJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const unit = text.charCodeAt(i);
    // Python escapes everything outside ' '..'~', including DEL; astral characters come out as two
    // \u escapes, which is exactly what walking UTF-16 code units produces.
    out += unit >= 0x20 && unit <= 0x7e ? char : `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

function encode(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot serialise ${value} as JSON`);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = '  '.repeat(depth + 1);
  const outer = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + encode(item, depth + 1)).join(',\n')}\n${outer}]`;
  }
  if (value instanceof Map) return encodeEntries([...value.entries()], depth);
  if (typeof value === 'object') return encodeEntries(Object.entries(value), depth);
  throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
}

function encodeEntries(entries: Array<[unknown, unknown]>, depth: number): string {
  if (entries.length === 0) return '{}';
  const inner = '  '.repeat(depth + 1);
  const lines = entries.map(([key, item]) => `${inner}${pythonJsonString(String(key))}: ${encode(item, depth + 1)}`);
  return `{\n${lines.join(',\n')}\n${'  '.repeat(depth)}}`;
}

/** `value` as Python's json.dumps(value, indent=2) prints it. Maps serialise as objects, in insertion order. */
export function pythonJsonDump(value: unknown): string {
  return encode(value, 0);
}
