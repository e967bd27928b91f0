// Recovers mappings from registry text that is not valid JSON (truncated by a crash, hand-edited with
// a stray comma, ...). A small tokenizer walks the text left to right, so string literals are always
// read whole; every `"<absolute path>": <integer>` pair that is followed by `,` `}` or `]` is a
// candidate (a string value is kept too, to be reported as dropped). A number that runs into the end
// of the file is never trusted: it may have lost digits.

export interface ScannedPair {
  key: string;
  /** The value: a number, or a string (a port written as text is still worth reporting). */
  value: number | string;
  /** The value's text as written, e.g. `8888`, `88.5` or `"8889"`. */
  valueText: string;
}

type Token =
  | { kind: 'string'; value: string | undefined } // undefined: the literal had an invalid escape
  | { kind: 'number'; text: string }
  | { kind: 'punct'; char: string };

function readString(text: string, start: number): { end: number; raw: string } | undefined {
  let i = start + 1;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === '\\') {
      i += 2;
      continue;
    }
    if (char === '"') return { end: i + 1, raw: text.slice(start, i + 1) };
    if (char === '\n') return undefined; // JSON strings never span lines: this one is broken
    i += 1;
  }
  return undefined;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '"') {
      const literal = readString(text, i);
      if (!literal) {
        // Skip the broken literal up to the end of its line and carry on with the next one.
        const newline = text.indexOf('\n', i);
        tokens.push({ kind: 'punct', char: '?' });
        i = newline === -1 ? text.length : newline + 1;
        continue;
      }
      let value: string | undefined;
      try {
        value = JSON.parse(literal.raw) as string;
      } catch {
        value = undefined;
      }
      tokens.push({ kind: 'string', value });
      i = literal.end;
    } else if (/[-0-9]/.test(char)) {
      const match = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i, i + 40));
      const number = match?.[0] ?? char;
      tokens.push({ kind: 'number', text: number });
      i += number.length;
    } else {
      tokens.push({ kind: 'punct', char });
      i += 1;
    }
  }
  return tokens;
}

/** Every `"key": number` or `"key": "string"` pair whose value is properly terminated, in file order. */
export function scanKeyNumberPairs(text: string): ScannedPair[] {
  const tokens = tokenize(text);
  const pairs: ScannedPair[] = [];
  for (let i = 0; i + 3 < tokens.length; i += 1) {
    const key = tokens[i];
    const colon = tokens[i + 1];
    const value = tokens[i + 2];
    const after = tokens[i + 3];
    if (
      key?.kind === 'string' &&
      key.value !== undefined &&
      colon?.kind === 'punct' &&
      colon.char === ':' &&
      (value?.kind === 'number' || (value?.kind === 'string' && value.value !== undefined)) &&
      after?.kind === 'punct' &&
      (after.char === ',' || after.char === '}' || after.char === ']')
    ) {
      if (value.kind === 'number') pairs.push({ key: key.value, value: Number(value.text), valueText: value.text });
      else pairs.push({ key: key.value, value: value.value as string, valueText: JSON.stringify(value.value) });
    }
  }
  return pairs;
}
