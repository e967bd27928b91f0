// The headers that tell LiteLLM (and the seed's memory router) which project, machine and IDE sent a
// request — the point of the product. Pure: the caller decides when the result replaces what the
// client sent (every name returned here replaces the client's header of that name).
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
}

export interface HeaderProfile {
  /** `x-litellm-tags` and `x-litellm-spend-logs-metadata`: per-project spend with no LiteLLM config. */
  litellm: boolean;
  /** The seed's `x-memory-user-id`, `x-pycharm-instance`, `x-source`. */
  seedCompat: boolean;
  /** `x-litellm-end-user-id` = the project slug (LiteLLM then tracks the project as a customer). */
  endUserId: boolean;
}

export const DEFAULT_HEADER_PROFILE: Readonly<HeaderProfile> = Object.freeze({
  litellm: true,
  seedCompat: true,
  endUserId: false,
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
} as const;

/** The seed's constant `x-source`. */
export const SEED_SOURCE = 'pycharm-ai-chat';

interface DerivedIdentity {
  slug: string;
  folder: string;
  seedName: string;
  instance: string;
  ownTags: string[];
  metadata: Record<string, string | number>;
  /** `metadata` as header text, for the usual request that carries no metadata of its own. */
  metadataHeader: string;
}

const derivedCache = new WeakMap<ProxyIdentity, DerivedIdentity>();

function ideToken(product: string): string {
  return transliterate(product)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function derive(identity: ProxyIdentity): DerivedIdentity {
  const cached = derivedCache.get(identity);
  if (cached) return cached;
  const slug = projectSlug(identity.projectPath);
  const folder = folderNameOf(identity.projectPath);
  const instance = machineInstanceName(identity.instance);
  const ide = identity.ide ? ideToken(identity.ide.product) : '';
  const metadata: Record<string, string | number> = {
    interceptor_project: slug,
    interceptor_folder: folder,
    interceptor_port: identity.port,
    interceptor_version: INTERCEPTOR_VERSION,
    interceptor_path_hash: pathHash(identity.projectPath).slice(0, 16),
    interceptor_instance: instance,
  };
  if (identity.ide) {
    metadata.interceptor_ide = identity.ide.version ? `${identity.ide.product} ${identity.ide.version}` : identity.ide.product;
  }
  const derived: DerivedIdentity = {
    slug,
    folder,
    seedName: `pycharm-${headerSafeText(folder || 'project')}`,
    instance,
    ownTags: [`project:${slug}`, ...(ide ? [`ide:${ide}`] : [])],
    metadata,
    metadataHeader: asciiJson(metadata),
  };
  derivedCache.set(identity, derived);
  return derived;
}

function headerValues(incoming: IncomingHeaders, name: string): string[] {
  const value = incoming[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The client's tags first, in their order, then ours; duplicates removed, nothing of theirs dropped. */
export function mergeTags(clientValues: readonly string[], ownTags: readonly string[]): string {
  const tags = new Set<string>();
  for (const value of clientValues) {
    for (const tag of value.split(',')) {
      const trimmed = tag.trim();
      if (trimmed) tags.add(trimmed);
    }
  }
  for (const tag of ownTags) tags.add(tag);
  return [...tags].join(',');
}

/**
 * Our keys merged into the client's metadata object. Every key of ours starts with `interceptor_`
 * and describes this proxy, so on a clash ours win; all other keys of theirs are kept. Metadata we
 * cannot read (not a JSON object) is returned as undefined: the caller then forwards the client's
 * header untouched rather than replace something we do not understand.
 */
export function mergeSpendLogsMetadata(clientValues: readonly string[], ours: Record<string, string | number>): string | undefined {
  if (clientValues.length === 0) return asciiJson(ours);
  if (clientValues.length > 1) return undefined;
  let theirs: unknown;
  try {
    theirs = JSON.parse(clientValues[0] ?? '');
  } catch {
    return undefined;
  }
  if (typeof theirs !== 'object' || theirs === null || Array.isArray(theirs)) return undefined;
  return asciiJson({ ...(theirs as Record<string, unknown>), ...ours });
}

export function buildIdentityHeaders(
  identity: ProxyIdentity,
  profile: HeaderProfile,
  incoming: IncomingHeaders,
): Record<string, string> {
  const derived = derive(identity);
  const headers: Record<string, string> = {
    [IDENTITY_HEADER.project]: derived.slug,
    [IDENTITY_HEADER.port]: String(identity.port),
    [IDENTITY_HEADER.instance]: derived.instance,
  };
  if (profile.litellm) {
    headers[IDENTITY_HEADER.tags] = mergeTags(headerValues(incoming, IDENTITY_HEADER.tags), derived.ownTags);
    const theirs = headerValues(incoming, IDENTITY_HEADER.spendLogsMetadata);
    const metadata = theirs.length === 0 ? derived.metadataHeader : mergeSpendLogsMetadata(theirs, derived.metadata);
    if (metadata !== undefined) headers[IDENTITY_HEADER.spendLogsMetadata] = metadata;
  }
  // The client's own end-user id wins: it knows its user better than we know the folder.
  if (profile.endUserId && incoming[IDENTITY_HEADER.endUserId] === undefined) {
    headers[IDENTITY_HEADER.endUserId] = derived.slug;
  }
  if (profile.seedCompat) {
    headers[IDENTITY_HEADER.memoryUserId] = derived.seedName;
    headers[IDENTITY_HEADER.pycharmInstance] = derived.seedName;
    headers[IDENTITY_HEADER.source] = SEED_SOURCE;
  }
  return headers;
}

/** Slug, folder name and the other derived names, for health endpoints and UIs. */
export function describeIdentity(identity: ProxyIdentity): { slug: string; folder: string; instance: string } {
  const { slug, folder, instance } = derive(identity);
  return { slug, folder, instance };
}
