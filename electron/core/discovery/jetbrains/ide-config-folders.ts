// Finds the IDE config folders under the search roots (and the folders the user added), naming the
// product and version of each and where its system folder is. Read-only: it lists and stats.
import { readdir, stat } from 'node:fs/promises';
import { systemErrorCode } from '../../errors';
import { searchRoots, type RootKind, type SearchRoot } from './config-roots';
import { pathApi } from '../path-flavour';
import type { DiscoveryEnvironment } from './discovery-environment';
import { parseIdeFolderName, productDisplayName } from './ide-product';

export type ConfigLayout = 'modern' | 'legacy' | 'user';

export interface IdeConfigFolder {
  configDir: string;
  /** Where the old-style `port` file lives; undefined when the layout does not tell. */
  systemDir?: string;
  product: string;
  productName: string;
  version?: string;
  layout: ConfigLayout;
}

export interface RootScan {
  dir: string;
  kind: RootKind;
  exists: boolean;
  /** Why the root could not be listed (other than not existing). */
  error?: string;
}

export interface ConfigFolderScan {
  folders: IdeConfigFolder[];
  roots: RootScan[];
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

function folder(
  configDir: string,
  name: string,
  layout: ConfigLayout,
  systemDir: string | undefined,
): IdeConfigFolder {
  const parsed = parseIdeFolderName(name);
  const product = parsed?.product ?? (name === '' ? 'unknown' : name);
  const result: IdeConfigFolder = { configDir, product, productName: productDisplayName(product), layout };
  if (parsed?.version !== undefined) result.version = parsed.version;
  if (systemDir !== undefined) result.systemDir = systemDir;
  return result;
}

/** The child folders of a root that are IDE config folders, by the root's own naming rule. */
async function scanChildren(env: DiscoveryEnvironment, root: SearchRoot, names: string[]): Promise<IdeConfigFolder[]> {
  const p = pathApi(env.platform);
  const found: IdeConfigFolder[] = [];
  for (const name of names.sort()) {
    const child = p.join(root.dir, name);
    const parsed = parseIdeFolderName(name);
    const system = root.systemRoot === undefined ? undefined : p.join(root.systemRoot, name);
    switch (root.kind) {
      case 'jetbrains':
      case 'user':
        // A versioned name is an IDE folder even before its options/ exists (first start of a new
        // version); unversioned names (consentOptions, Toolbox) only when they hold options/.
        if (name.startsWith('.')) break;
        if ((parsed?.version !== undefined || (await isDirectory(p.join(child, 'options')))) && (await isDirectory(child))) {
          found.push(folder(child, name, root.kind === 'user' ? 'user' : 'modern', system));
        }
        break;
      case 'google':
        if (name.startsWith('AndroidStudio') && (await isDirectory(child))) {
          found.push(folder(child, name, 'modern', system));
        }
        break;
      case 'legacy-home':
        if (name.startsWith('.') && parsed?.version !== undefined && (await isDirectory(p.join(child, 'config')))) {
          found.push(folder(p.join(child, 'config'), name.slice(1), 'legacy', p.join(child, 'system')));
        }
        break;
      case 'legacy-preferences':
        // ~/Library/Preferences holds many unrelated folders: require the IDE's options/ as well.
        if (parsed?.version !== undefined && (await isDirectory(p.join(child, 'options')))) {
          found.push(folder(child, name, 'legacy', system));
        }
        break;
    }
  }
  return found;
}

async function listRoot(root: SearchRoot): Promise<{ scan: RootScan; names: string[] }> {
  try {
    const entries = await readdir(root.dir, { withFileTypes: true });
    // Directories and symlinks (which may point at one); files are never config folders.
    const names = entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
    return { scan: { dir: root.dir, kind: root.kind, exists: true }, names };
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { scan: { dir: root.dir, kind: root.kind, exists: false }, names: [] };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { scan: { dir: root.dir, kind: root.kind, exists: true, error: message }, names: [] };
  }
}

/**
 * A folder the user added is either one IDE config folder (it has options/) or a folder of them.
 * A legacy `…/.PyCharm2019.3/config` folder takes its name from its parent.
 */
async function scanUserFolder(env: DiscoveryEnvironment, dir: string): Promise<{ scan: RootScan; folders: IdeConfigFolder[] }> {
  const p = pathApi(env.platform);
  const root: SearchRoot = { dir, kind: 'user' };
  if (await isDirectory(p.join(dir, 'options'))) {
    const base = p.basename(dir);
    if (base === 'config') {
      const parent = p.dirname(dir);
      const parentName = p.basename(parent).replace(/^\./, '');
      return {
        scan: { dir, kind: 'user', exists: true },
        folders: [folder(dir, parentName, 'user', p.join(parent, 'system'))],
      };
    }
    return { scan: { dir, kind: 'user', exists: true }, folders: [folder(dir, base, 'user', undefined)] };
  }
  const { scan, names } = await listRoot(root);
  return { scan, folders: await scanChildren(env, root, names) };
}

export async function findIdeConfigFolders(
  env: DiscoveryEnvironment,
  extraConfigDirs: readonly string[] = [],
): Promise<ConfigFolderScan> {
  const roots: RootScan[] = [];
  const folders: IdeConfigFolder[] = [];
  for (const root of searchRoots(env)) {
    const { scan, names } = await listRoot(root);
    roots.push(scan);
    folders.push(...(await scanChildren(env, root, names)));
  }
  for (const dir of extraConfigDirs) {
    const { scan, folders: found } = await scanUserFolder(env, dir);
    roots.push(scan);
    folders.push(...found);
  }
  const seen = new Set<string>();
  const unique = folders.filter((f) => {
    const key = env.platform === 'win32' ? f.configDir.toLowerCase() : f.configDir;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { folders: unique, roots };
}
