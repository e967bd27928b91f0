// Which requests get the user's LiteLLM key. The key serves this OS account alone: it is added to a
// request only when the request is proven to come from the same account — on Linux by the owner of
// the client's socket (core/net/peer), anywhere by the local client token (client-token.ts), which
// is swapped for the key. Everything else passes as it came: a client's own key is untouched, and a
// request with no credentials from an unproven peer goes without one (LiteLLM answers 401 itself).

/** Request fields that carry an API key (lower case): OpenAI, Anthropic, LiteLLM, Azure. */
export const CREDENTIAL_FIELDS = ['authorization', 'x-api-key', 'x-litellm-api-key', 'api-key'] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

export type RequestCredentials = Partial<Record<CredentialField, string>>;

export type CredentialPlan =
  /** Nothing to change: the client's own key, or no key anywhere. */
  | { action: 'pass' }
  /** Drop these fields and send these lines instead (the token swapped for the key, or removed). */
  | { action: 'rewrite'; drop: readonly CredentialField[]; add: ReadonlyArray<readonly [string, string]> }
  /** No credentials and not proven to be this account: forwarded without the key. */
  | { action: 'withhold' };

export interface KeyPolicy {
  /** The user's LiteLLM key, when Interceptor holds one. */
  apiKey: string | undefined;
  /** The local client token in force. */
  clientToken: string | undefined;
}

/** Where a request with no credentials of its own must prove its account before the key is added. */
export function needsPeerProof(credentials: RequestCredentials, policy: KeyPolicy): boolean {
  return policy.apiKey !== undefined && !hasAny(credentials);
}

/**
 * An empty value, or a scheme with nothing after it (`Authorization: Bearer `, which the Continue CLI
 * sends when it has no key), is no key at all.
 */
function isBlank(value: string): boolean {
  return /^\s*(bearer\s*)?$/i.test(value);
}

function hasAny(credentials: RequestCredentials): boolean {
  for (const field of CREDENTIAL_FIELDS) {
    const value = credentials[field];
    if (value !== undefined && !isBlank(value)) return true;
  }
  return false;
}

/** The fields that hold a blank value: replaced when the key is added, so only one credential goes. */
function blankFields(credentials: RequestCredentials): CredentialField[] {
  return CREDENTIAL_FIELDS.filter((field) => credentials[field] !== undefined && isBlank(credentials[field] as string));
}

/** `value` is the token, bare or as a Bearer credential; returns whether it was Bearer. */
function tokenForm(value: string, token: string): 'bare' | 'bearer' | undefined {
  if (value === token) return 'bare';
  if (value.length === token.length + 7 && /^bearer /i.test(value) && value.endsWith(token)) return 'bearer';
  return undefined;
}

const HEADER_NAME: Record<CredentialField, string> = {
  authorization: 'Authorization',
  'x-api-key': 'x-api-key',
  'x-litellm-api-key': 'x-litellm-api-key',
  'api-key': 'api-key',
};

/**
 * What to do with a request's credentials. `sameAccount`: the peer was proven to be this OS
 * account (false when unknown).
 */
export function planCredentials(credentials: RequestCredentials, policy: KeyPolicy, sameAccount: boolean): CredentialPlan {
  const { apiKey, clientToken } = policy;
  if (clientToken !== undefined) {
    const drop: CredentialField[] = [];
    const add: Array<readonly [string, string]> = [];
    for (const field of CREDENTIAL_FIELDS) {
      const value = credentials[field];
      const form = value === undefined ? undefined : tokenForm(value, clientToken);
      if (form === undefined) continue;
      drop.push(field);
      // Without a key to swap in, the token is only removed: it must never leave the machine.
      if (apiKey !== undefined) add.push([HEADER_NAME[field], form === 'bearer' ? `Bearer ${apiKey}` : apiKey]);
    }
    if (drop.length > 0) return { action: 'rewrite', drop, add };
  }
  if (hasAny(credentials) || apiKey === undefined) return { action: 'pass' };
  if (!sameAccount) return { action: 'withhold' };
  return { action: 'rewrite', drop: blankFields(credentials), add: [['Authorization', `Bearer ${apiKey}`]] };
}

/** This process's account on the platforms where a peer's account can be read (Linux). */
export function ownUid(platform: NodeJS.Platform = process.platform): number | undefined {
  return platform === 'linux' ? process.getuid?.() : undefined;
}

/** What the user is told when a request went without the key (once per peer). */
export function describeKeyWithheld(peer: { uid?: number; pid?: number; command?: string }, where: string): string {
  const who: string[] = [];
  if (peer.command !== undefined || peer.pid !== undefined) who.push(`${peer.command ?? 'a process'}${peer.pid !== undefined ? ` (pid ${peer.pid})` : ''}`);
  if (peer.uid !== undefined) who.push(`uid ${peer.uid}`);
  const from = who.length > 0 ? who.join(', ') : 'a client Interceptor could not identify';
  return (
    `a request to ${where} from ${from} carried no API key and is not proven to come from your account, ` +
    'so it was forwarded without your LiteLLM key. If it is your own client, configure it with the local client token (`interceptor token`).'
  );
}

/** One notice per peer: the same account and program are not reported twice. */
export function keyWithheldKey(peer: { uid?: number; command?: string }): string {
  return `${peer.uid ?? '?'}:${peer.command ?? '?'}`;
}
