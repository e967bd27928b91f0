// Internal errors: failures no user action explains (a bug, a broken invariant, an OS surprise).
// Each one must reach the log exactly once, with its stack, and without secrets. The parts of the
// engine hand them to a sink (the service's, in the app and `serve`); this module turns one into
// the text that is logged.

/** Where internal errors go: `where` names the part and the action ("dashboard POST /api/listMappings"). */
export type InternalErrorSink = (error: unknown, where: string) => void;

/** What a front end logs: already formatted and redacted, so it cannot log the raw error by mistake. */
export interface InternalErrorReport {
  where: string;
  /** "where: stack", causes included, secrets redacted; several lines. */
  text: string;
}

const REDACTED = '[redacted]';
/** Shorter known secrets would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;
const MAX_CAUSES = 5;

// Shapes of credentials that may end up in an error message even when we do not know the value:
// an Authorization header, OpenAI/LiteLLM-style keys, a token in a URL or a header line.
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${REDACTED}`],
  [/([?&](?:token|key|api_key|apikey)=)[^\s&#"']+/gi, `$1${REDACTED}`],
  [/\b(x-interceptor-token|x-litellm-api-key|api-key|authorization)(["']?\s*[:=]\s*["']?)(?!(?:Bearer|Basic)\s|\[redacted\])[^\s"',;]+/gi, `$1$2${REDACTED}`],
];

/** `text` with every known secret and every credential-shaped string replaced by [redacted]. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  try {
    return `non-error thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-error thrown: ${String(error)}`;
  }
}

/** The error's stack, then its causes' (a few levels deep), one block. */
export function errorWithCauses(error: unknown): string {
  if (error === undefined || error === null) return `${String(error)} thrown`;
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < MAX_CAUSES; depth += 1) {
    parts.push(depth === 0 ? describe(current) : `caused by: ${describe(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

export function formatInternalError(error: unknown, where: string, secrets: readonly string[] = []): InternalErrorReport {
  return { where, text: redactSecrets(`${where}: ${errorWithCauses(error)}`, secrets) };
}
