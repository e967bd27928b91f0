// JSON client files (Claude Code's settings, Junie's model profiles), changed the way a person would
// edit them: only our keys, the rest of the text — other keys, their order, comments, the file's own
// indentation and line endings — kept byte for byte (jsonc-parser computes minimal text edits).
import { applyEdits, modify, parse, printParseErrorCode, type FormattingOptions, type JSONPath, type ParseError } from 'jsonc-parser';
import { lineAndColumn, UnparsableFileError } from './unparsable-file';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's object; throws UnparsableFileError for broken JSON or a top level that is not an object. */
export function parseJsonObject(text: string): JsonObject {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) throw new UnparsableFileError(`not valid JSON (${printParseErrorCode(first.error)} at ${lineAndColumn(text, first.offset)})`);
  if (text.trim() === '') return {};
  if (!isJsonObject(value)) throw new UnparsableFileError('the top level is not a JSON object');
  return value;
}

/** How the file indents and ends lines, so inserted keys look like the ones around them. */
export function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indented?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indented ? indented.length : 2, eol };
}

/**
 * `text` with each path set to its value (undefined removes the key). A null or blank text starts
 * from an empty object; the result ends with a newline when the input did (or was new).
 */
export function setJsonValues(text: string | null, edits: ReadonlyArray<readonly [JSONPath, unknown]>): string {
  const start = text === null || text.trim() === '' ? '{}\n' : text;
  const formattingOptions = formattingOf(start);
  let out = start;
  for (const [path, value] of edits) out = applyEdits(out, modify(out, path, value, { formattingOptions }));
  return out;
}
