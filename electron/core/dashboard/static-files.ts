// The window's files (index.html and its assets) for the dashboard. Only regular files inside the
// static folder are served; dot files, traversal and symlinks leading out are refused.
// index.html gets the session token written into a <meta> tag: the page reads it there and sends it
// with every API call (the cookie alone never authorises an API call).
import fs from 'node:fs/promises';
import path from 'node:path';
import { DASHBOARD } from '../../../shared/api';
import { systemErrorCode } from '../errors';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

export const INDEX_FILE = 'index.html';

/**
 * The file a URL path names inside `root`, or null when there is none we may serve.
 * `urlPath` is the raw (still percent-encoded) path of the request.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  // No dot files or dot folders (this also refuses `.` and `..`).
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  const relative = segments.length === 0 ? INDEX_FILE : segments.join('/');
  try {
    const realRoot = await fs.realpath(root);
    const real = await fs.realpath(path.join(realRoot, relative));
    if (!real.startsWith(realRoot + path.sep)) return null;
    const stat = await fs.stat(real);
    return stat.isFile() ? real : null;
  } catch (error) {
    // No such file (or a path through a file, or a link loop): not found. Anything else is for the log.
    if (['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG'].includes(systemErrorCode(error) ?? '')) return null;
    throw error;
  }
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Writes the token meta tag right after <head> (or first, when the page has no head). */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="${DASHBOARD.tokenMeta}" content="${token}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return meta + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}

export async function readStaticFile(file: string, token: string): Promise<StaticFile> {
  const contentType = contentTypeOf(file);
  const data = await fs.readFile(file);
  if (path.basename(file) === INDEX_FILE || contentType.startsWith('text/html')) {
    return { body: new TextEncoder().encode(injectToken(data.toString('utf8'), token)), contentType };
  }
  return { body: new Uint8Array(data), contentType };
}
