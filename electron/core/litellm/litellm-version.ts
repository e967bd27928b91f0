// Which LiteLLM answers, and what that version does with our headers. LiteLLM names its version in
// the `x-litellm-version` header of every LLM answer it sends (common_request_processing.py,
// get_custom_headers); its unauthenticated endpoints do not (/health/readiness has carried it only
// with allow_public_health_readiness_details on, since before 1.100), so the proxies read it from
// the answers that pass through them. Pure.

export const LITELLM_VERSION_HEADER = 'x-litellm-version';

interface ParsedVersion {
  release: [number, number, number];
  /** A pre-release (rc, dev, nightly...) orders before its release; undefined for a final release. */
  pre: { kind: string; number: number } | undefined;
}

/**
 * `1.84.0`, `1.84.0-rc.1`, `1.84.0rc1`, `v1.83.10-stable`, `1.83.10.post1`: release numbers and a
 * pre-release tag, the ways LiteLLM's tags and PyPI spell them. Undefined for anything else.
 */
export function parseLiteLlmVersion(text: string): ParsedVersion | undefined {
  const match = /^v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:[.-]?(rc|dev|a|b|alpha|beta|nightly)[.-]?(\d*))?(?:[.+-].*)?$/i.exec(text.trim());
  if (!match) return undefined;
  const release: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const pre = match[4] === undefined ? undefined : { kind: match[4].toLowerCase(), number: Number(match[5] || '0') };
  return { release, pre };
}

function compare(a: ParsedVersion, b: ParsedVersion): number {
  for (let i = 0; i < 3; i += 1) {
    const diff = (a.release[i] as number) - (b.release[i] as number);
    if (diff !== 0) return diff;
  }
  if (a.pre === undefined || b.pre === undefined) return (a.pre === undefined ? 1 : 0) - (b.pre === undefined ? 1 : 0);
  return a.pre.number - b.pre.number;
}

const FIRST_DROPPING = parseLiteLlmVersion('1.83.10') as ParsedVersion;
const LAST_DROPPING = parseLiteLlmVersion('1.84.0-rc.1') as ParsedVersion;

/**
 * LiteLLM 1.83.10 up to 1.84.0-rc.1 silently drop tags a client sends (x-litellm-tags) unless the
 * key or team has `allow_client_tags: true`: requests then reach no project in LiteLLM's spend.
 * Before 1.83.10 header tags replaced key/team tags; from 1.84.0 they are merged again.
 */
export function dropsClientTags(version: string): boolean {
  const parsed = parseLiteLlmVersion(version);
  return parsed !== undefined && compare(parsed, FIRST_DROPPING) >= 0 && compare(parsed, LAST_DROPPING) <= 0;
}

/** What the user reads when the LiteLLM in front of them drops client tags; undefined when it does not. */
export function clientTagsWarning(version: string): string | undefined {
  if (!dropsClientTags(version)) return undefined;
  return (
    `LiteLLM ${version} ignores the project tags Interceptor sends (versions 1.83.10 to 1.84.0-rc.1 drop client tags), ` +
    'so its spend per project stays empty. Fix: set allow_client_tags: true on the LiteLLM key or team the requests use, ' +
    'or run another LiteLLM version (1.84.0 or later).'
  );
}
