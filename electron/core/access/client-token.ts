// The local client token: a random secret, readable only by this OS account (0600, beside the
// settings), that a client sends in place of the LiteLLM key. The proxy swaps it for the real key,
// so a client configured with it spends the user's key only if it could read this user's files.
// Clients reach it through their own indirection (an environment variable, Claude Code's
// apiKeyHelper running `interceptor token`), never as text written into a project folder.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InterceptorError } from '../errors';
import { PRIVATE_FILE_MODE, restrictToOwner, writePrivateFileAtomic } from '../settings/private-file';

/** Looks like an API key, so clients that check a key's shape accept it. */
export const CLIENT_TOKEN_PREFIX = 'sk-interceptor-';
const TOKEN_PATTERN = /^sk-interceptor-[A-Za-z0-9_-]{43}$/;

export function isClientTokenShaped(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}

function newToken(): string {
  return `${CLIENT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function ioError(file: string, error: unknown): InterceptorError {
  return new InterceptorError('SETTINGS_IO', `cannot use the client token file ${file}: ${(error as Error).message}`, { cause: error });
}

/** The token in `file`; undefined when there is none yet or the file does not hold one. */
export function readClientToken(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(file, error);
  }
  const token = text.trim();
  if (!isClientTokenShaped(token)) return undefined;
  restrictToOwner(file);
  return token;
}

/** The token, created (0600) the first time; two processes creating it at once agree on one. */
export function ensureClientToken(file: string): string {
  const existing = readClientToken(file);
  if (existing !== undefined) return existing;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      // A file that does not hold a token (damaged, hand-edited): replaced, since a token has no
      // value beyond the clients configured with it, and those read it anew.
      writePrivateFileAtomic(file, `${newToken()}\n`);
    } else {
      try {
        fs.writeFileSync(file, `${newToken()}\n`, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } catch (error) {
    throw ioError(file, error);
  }
  const token = readClientToken(file);
  if (token === undefined) throw ioError(file, new Error('the file does not hold a token after writing it'));
  return token;
}

/** A new token replaces the old one at once; clients using the old one no longer get the key. */
export function rotateClientToken(file: string): string {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writePrivateFileAtomic(file, `${newToken()}\n`);
  } catch (error) {
    throw ioError(file, error);
  }
  return ensureClientToken(file);
}

/** How often a running proxy looks whether another process rotated the token. */
const RECHECK_MS = 2000;

/**
 * The current token for a long-running process: read once, then re-read when the file changed
 * (checked at most every two seconds, off the request path), so a rotation by the CLI or the
 * window reaches every Interceptor process without a restart.
 */
export class ClientTokenSource {
  private token: string | undefined;
  private mtimeMs = 0;
  private checkedAt = 0;
  private checking = false;

  constructor(readonly file: string) {
    this.token = ensureClientToken(file);
    this.mtimeMs = fileMtime(file);
    this.checkedAt = Date.now();
  }

  current(): string | undefined {
    if (!this.checking && Date.now() - this.checkedAt >= RECHECK_MS) void this.recheck();
    return this.token;
  }

  /** After this process rotated it itself. */
  set(token: string): void {
    this.token = token;
    this.mtimeMs = fileMtime(this.file);
  }

  private async recheck(): Promise<void> {
    this.checking = true;
    try {
      const { mtimeMs } = await stat(this.file);
      if (mtimeMs !== this.mtimeMs) {
        this.mtimeMs = mtimeMs;
        this.token = readClientToken(this.file) ?? this.token;
      }
    } catch {
      // Removed or unreadable: keep the token we have rather than lock every client out.
    } finally {
      this.checkedAt = Date.now();
      this.checking = false;
    }
  }
}

function fileMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
