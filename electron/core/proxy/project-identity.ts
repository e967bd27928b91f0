// How a project folder is named on the wire. Header values must be plain ASCII with no control
// characters, whatever the folder is called, and two folders with the same name must stay apart.
import { createHash } from 'node:crypto';
import { hostname as osHostname } from 'node:os';

const SLUG_BASE_MAX = 48;
const SLUG_HASH_CHARS = 6;

/** Letters NFKD does not decompose into ASCII, spelled the usual way. */
const EXTRA_TRANSLITERATIONS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
};

/** The last segment of a path, POSIX or Windows; '' for a root. */
export function folderNameOf(projectPath: string): string {
  const segments = projectPath.split(/[\\/]+/).filter((segment) => segment.length > 0);
  const last = segments.at(-1) ?? '';
  return /^[A-Za-z]:$/.test(last) ? '' : last; // "C:" alone is a drive root
}

/** SHA-256 of the exact path text, hex. The path itself never leaves the machine in a header. */
export function pathHash(projectPath: string): string {
  return createHash('sha256').update(projectPath, 'utf8').digest('hex');
}

/** Best-effort ASCII spelling: accents dropped, a few ligatures spelled out, the rest left as is. */
export function transliterate(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøđðþłı]/giu, (letter) => {
      const lower = EXTRA_TRANSLITERATIONS[letter.toLowerCase()] ?? letter;
      return letter === letter.toLowerCase() ? lower : lower.toUpperCase();
    });
}

/**
 * `[a-z0-9._-]` only: the folder name transliterated, other runs turned into '-', plus a short hash of
 * the full path so `~/a/app` and `~/b/app` get different slugs.
 */
export function projectSlug(projectPath: string): string {
  const base =
    transliterate(folderNameOf(projectPath))
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .slice(0, SLUG_BASE_MAX)
      .replace(/^[-.]+|[-.]+$/g, '') || 'project';
  return `${base}-${pathHash(projectPath).slice(0, SLUG_HASH_CHARS)}`;
}

/**
 * Text that is safe as a header value and still tells names apart: printable ASCII stays as it is
 * (so ordinary names read exactly as the seed sent them), everything else — control characters,
 * non-ASCII, and '%' itself — is percent-encoded as UTF-8. Injective, so no two folders collide.
 */
export function headerSafeText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e && char !== '%') out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // Parsers trim spaces at the ends of a value; encoded, "app " stays distinct from "app".
  return out.replace(/^ +| +$/g, (spaces) => '%20'.repeat(spaces.length));
}

/** JSON whose every non-ASCII character is a \u escape, so the text is a valid header value. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** This machine's name for `x-interceptor-instance`: ASCII `[A-Za-z0-9._-]`, never empty. */
export function machineInstanceName(hostname: string = osHostname()): string {
  const name = transliterate(hostname)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 63);
  return name || 'unknown-host';
}
