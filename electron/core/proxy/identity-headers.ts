// The headers that tell LiteLLM (and the seed's memory router) which project, machine and IDE sent a
// request — the point of the product — and the identity we own. Pure: the caller drops every client
// field that `isOwnHeaderName` names, then sends what `buildIdentityHeaders` returns, before the
// client's own fields (so no header-count limit downstream can drop ours). A client cannot forge
// which project pays: its tags in our namespaces and its `interceptor_*` metadata keys are dropped,
// and metadata we cannot read exactly is replaced by ours.
import { INTERCEPTOR_VERSION } from '../version';
import { asciiJson, folderNameOf, headerSafeText, machineInstanceName, pathHash, projectSlug, transliterate } from './project-identity';

export interface IdeInfo {
  product: string; // "PyCharm", "IntelliJ IDEA", ...
  version?: string;
}

/** Treated as immutable: derived values are cached per object. */
export interface ProxyIdentity {
  projectPath: string; // absolute, normalised
  port: number;
  ide?: IdeInfo;
  /** This machine's name; defaults to the sanitised OS hostname. */
  instance?: string;
  /** The rule that chose the project when it was decided per request (the shared IDE port). */
  attribution?: string;
  /**
   * What made the rule decide: the process and its working folder. For the local request log only:
   * never sent upstream (a folder path says more about the user than the project slug does).
   */
  decidedBy?: AttributionEvidence;
}

export interface AttributionEvidence {
  process?: string;
  folder?: string;
}

/**
 * What identifies the user beyond the project slug. LiteLLM logs every `x-*` header, and with
 * `forward_client_headers_to_llm_api` on sends them all to the model provider, so this decides what
 * leaves the machine: `project` the slug (and port, IDE, version) only; `folder` also the folder's
 * name and a hash of its path; `machine` also this machine's name.
 */
export type IdentityDisclosure = 'project' | 'folder' | 'machine';

export interface HeaderProfile {
  /** `x-litellm-tags` and `x-litellm-spend-logs-metadata`: per-project spend with no LiteLLM config. */
  litellm: boolean;
  /** The seed's `x-memory-user-id`, `x-pycharm-instance`, `x-source`. */
  seedCompat: boolean;
  /** `x-litellm-end-user-id` = the project slug (LiteLLM then tracks the project as a customer). */
  endUserId: boolean;
  /** Absent: `machine`, everything (what every version before this setting sent). */
  identifies?: IdentityDisclosure;
}

export const DEFAULT_HEADER_PROFILE: Readonly<HeaderProfile> = Object.freeze({
  litellm: true,
  seedCompat: true,
  endUserId: false,
  identifies: 'machine',
});

export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Header names, lower case, as Node delivers them. */
export const IDENTITY_HEADER = {
  tags: 'x-litellm-tags',
  spendLogsMetadata: 'x-litellm-spend-logs-metadata',
  endUserId: 'x-litellm-end-user-id',
  project: 'x-interceptor-project',
  port: 'x-interceptor-port',
  instance: 'x-interceptor-instance',
  memoryUserId: 'x-memory-user-id',
  pycharmInstance: 'x-pycharm-instance',
  source: 'x-source',
  attribution: 'x-interceptor-attribution',
} as const;

/**
 * Tag namespaces that are ours: a client's tags in them are dropped before ours are added, so a
 * request is billed to exactly one project, the one we name. One list, for every forwarding path.
 */
export const OWN_TAG_NAMESPACES: readonly string[] = ['project:', 'ide:', 'attribution:'];
/** Spend-logs metadata keys with this prefix are ours; a client's are dropped. */
export const OWN_METADATA_PREFIX = 'interceptor_';
/** Every header with this prefix is ours: a client's copy never passes. */
export const OWN_HEADER_PREFIX = 'x-interceptor-';

/** The seed-compatible headers, ours only while that profile is on. */
const SEED_HEADERS: ReadonlySet<string> = new Set([IDENTITY_HEADER.memoryUserId, IDENTITY_HEADER.pycharmInstance, IDENTITY_HEADER.source]);

/**
 * Whether a client's field of this name (lower case) is replaced by ours under `profile`: our own
 * `x-interceptor-*` names always; LiteLLM's tags and metadata (merged, see below) and the seed's
 * headers when their profile is on; the end-user id when we set it.
 */
export function isOwnHeaderName(name: string, profile: HeaderProfile): boolean {
  if (name.startsWith(OWN_HEADER_PREFIX)) return true;
  if (name === IDENTITY_HEADER.tags || name === IDENTITY_HEADER.spendLogsMetadata) return profile.litellm;
  if (name === IDENTITY_HEADER.endUserId) return profile.endUserId;
  return profile.seedCompat && SEED_HEADERS.has(name);
}

function isOwnTag(tag: string): boolean {
  const lower = tag.toLowerCase();
  return OWN_TAG_NAMESPACES.some((namespace) => lower.startsWith(namespace));
}

/** The seed's constant `x-source`. */
export const SEED_SOURCE = 'pycharm-ai-chat';

interface DerivedIdentity {
  slug: string;
  folder: string;
  seedName: string;
  /** This machine's name; undefined when it is not disclosed. */
  instance: string | undefined;
  ownTags: string[];
  metadata: Record<string, string | number>;
  /** `metadata` as header text, for the usual request that carries no metadata of its own. */
  metadataHeader: string;
}

const derivedCache = new WeakMap<ProxyIdentity, Map<IdentityDisclosure, DerivedIdentity>>();

/** The rule name for a request no rule could attribute; its project tag is `project:unattributed`. */
export const UNATTRIBUTED = 'unattributed';

/** A request decided per request but attributed to no project (see UNATTRIBUTED). */
export function isUnattributed(identity: ProxyIdentity): boolean {
  return identity.attribution === UNATTRIBUTED;
}

/** Who an identity decided per request names, for request entries; undefined for a project's own port. */
export function attributedTo(identity: ProxyIdentity): { project: string | undefined; rule: string; decidedBy?: AttributionEvidence } | undefined {
  if (identity.attribution === undefined) return undefined;
  const attributed = { project: isUnattributed(identity) ? undefined : identity.projectPath, rule: identity.attribution };
  return identity.decidedBy === undefined ? attributed : { ...attributed, decidedBy: identity.decidedBy };
}

function ideToken(product: string): string {
  return transliterate(product)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function derive(identity: ProxyIdentity, disclosure: IdentityDisclosure = 'machine'): DerivedIdentity {
  let byDisclosure = derivedCache.get(identity);
  const cached = byDisclosure?.get(disclosure);
  if (cached) return cached;
  // No project is named, never a guess: no folder, no path hash.
  const unattributed = isUnattributed(identity);
  const slug = unattributed ? UNATTRIBUTED : projectSlug(identity.projectPath);
  const folder = unattributed ? '' : folderNameOf(identity.projectPath);
  const showsFolder = disclosure !== 'project' && !unattributed;
  const instance = disclosure === 'machine' ? machineInstanceName(identity.instance) : undefined;
  const ide = identity.ide ? ideToken(identity.ide.product) : '';
  const metadata: Record<string, string | number> = { interceptor_project: slug };
  if (disclosure !== 'project') metadata.interceptor_folder = folder;
  metadata.interceptor_port = identity.port;
  metadata.interceptor_version = INTERCEPTOR_VERSION;
  if (showsFolder) metadata.interceptor_path_hash = pathHash(identity.projectPath).slice(0, 16);
  if (instance !== undefined) metadata.interceptor_instance = instance;
  if (identity.ide) {
    metadata.interceptor_ide = identity.ide.version ? `${identity.ide.product} ${identity.ide.version}` : identity.ide.product;
  }
  if (identity.attribution) metadata.interceptor_attribution = identity.attribution;
  const derived: DerivedIdentity = {
    slug,
    folder,
    // The seed named the project by its folder; with the folder withheld, the slug stands in for it.
    seedName: `pycharm-${showsFolder ? headerSafeText(folder || 'project') : slug}`,
    instance,
    ownTags: [`project:${slug}`, ...(ide ? [`ide:${ide}`] : []), ...(identity.attribution ? [`attribution:${identity.attribution}`] : [])],
    metadata,
    metadataHeader: asciiJson(metadata),
  };
  if (byDisclosure === undefined) derivedCache.set(identity, (byDisclosure = new Map()));
  byDisclosure.set(disclosure, derived);
  return derived;
}

function headerValues(incoming: IncomingHeaders, name: string): string[] {
  const value = incoming[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The client's tags first, in their order, then ours; duplicates removed. A client tag in one of
 * our namespaces (`project:`, `ide:`, `attribution:`, any case) is dropped: only we say which
 * project pays.
 */
export function mergeTags(clientValues: readonly string[], ownTags: readonly string[]): string {
  const tags = new Set<string>();
  for (const value of clientValues) {
    for (const tag of value.split(',')) {
      const trimmed = tag.trim();
      if (trimmed && !isOwnTag(trimmed)) tags.add(trimmed);
    }
  }
  for (const tag of ownTags) tags.add(tag);
  return [...tags].join(',');
}

export interface MergedMetadata {
  value: string;
  /** The client's metadata was not exactly one strict JSON object: ours replaced it. */
  replaced: boolean;
}

/**
 * Our keys merged into the client's metadata object. Every `interceptor_*` key is ours: the
 * client's are dropped, whether or not we set that key; all other keys of theirs are kept.
 * Metadata that is not exactly one strict JSON object (two headers, an array, Python-style JSON
 * with NaN, anything JSON.parse refuses) is replaced by ours: LiteLLM reads such text leniently
 * or not at all, and forwarding it untouched would let it carry a project of the client's choice.
 */
export function mergeSpendLogsMetadata(clientValues: readonly string[], ours: Record<string, string | number>): MergedMetadata {
  if (clientValues.length === 0) return { value: asciiJson(ours), replaced: false };
  const theirs = clientValues.length === 1 ? strictJsonObject(clientValues[0] as string) : undefined;
  if (theirs === undefined) return { value: asciiJson(ours), replaced: true };
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(theirs)) if (!key.toLowerCase().startsWith(OWN_METADATA_PREFIX)) merged[key] = theirs[key];
  return { value: asciiJson({ ...merged, ...ours }), replaced: false };
}

function strictJsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export interface IdentityHeaders {
  /** Our fields, lower-case names, in the order they are sent. */
  headers: Record<string, string>;
  /** The client's spend-logs metadata was unreadable and replaced (the run log says so once per connection). */
  metadataReplaced: boolean;
}

/**
 * Our identity fields for one request. `incoming` holds the client's fields of the names we merge
 * (tags, spend-logs metadata); every name returned replaces the client's field of that name.
 */
export function buildIdentityHeaders(identity: ProxyIdentity, profile: HeaderProfile, incoming: IncomingHeaders): IdentityHeaders {
  const derived = derive(identity, profile.identifies);
  const headers: Record<string, string> = {
    [IDENTITY_HEADER.project]: derived.slug,
    [IDENTITY_HEADER.port]: String(identity.port),
  };
  if (derived.instance !== undefined) headers[IDENTITY_HEADER.instance] = derived.instance;
  if (identity.attribution) headers[IDENTITY_HEADER.attribution] = identity.attribution;
  let metadataReplaced = false;
  if (profile.litellm) {
    headers[IDENTITY_HEADER.tags] = mergeTags(headerValues(incoming, IDENTITY_HEADER.tags), derived.ownTags);
    const theirs = headerValues(incoming, IDENTITY_HEADER.spendLogsMetadata);
    if (theirs.length === 0) {
      headers[IDENTITY_HEADER.spendLogsMetadata] = derived.metadataHeader;
    } else {
      const merged = mergeSpendLogsMetadata(theirs, derived.metadata);
      headers[IDENTITY_HEADER.spendLogsMetadata] = merged.value;
      metadataReplaced = merged.replaced;
    }
  }
  // With this profile on, the end user is the project: ours, like every other identity field.
  if (profile.endUserId) headers[IDENTITY_HEADER.endUserId] = derived.slug;
  if (profile.seedCompat) {
    headers[IDENTITY_HEADER.memoryUserId] = derived.seedName;
    headers[IDENTITY_HEADER.pycharmInstance] = derived.seedName;
    headers[IDENTITY_HEADER.source] = SEED_SOURCE;
  }
  return { headers, metadataReplaced };
}

/** Slug, folder name and the other derived names, for health endpoints and UIs. */
export function describeIdentity(identity: ProxyIdentity): { slug: string; folder: string; instance: string } {
  const { slug, folder } = derive(identity);
  return { slug, folder, instance: machineInstanceName(identity.instance) };
}
