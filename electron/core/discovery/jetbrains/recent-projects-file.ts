// Reads the IDE's list of recent projects out of its settings XML, whichever of the formats the IDE
// version wrote:
// - RecentProjectsManager (2020.1+, options/recentProjects.xml): an `additionalInfo` map keyed by
//   project path whose values are RecentProjectMetaInfo elements; `opened` and `hidden` appear as
//   attributes or, in some versions, as <option name="opened" value="true"/>.
// - RiderRecentProjectsManager (options/recentSolutions.xml): the same shape, keys may be .sln files.
// - RecentDirectoryProjectsManager (options/recentProjectDirectories.xml, the small IDEs before 2020).
// - The older `recentPaths` / `openPaths` lists, alone or next to the map.
// Keys are returned as written (macros unexpanded); project-path.ts turns them into folders.
import { childElements, formatXmlError, parseXml, type XmlElement } from './settings-xml';

export const RECENT_PROJECT_FILES = ['recentProjects.xml', 'recentSolutions.xml', 'recentProjectDirectories.xml'] as const;
export type RecentProjectFileName = (typeof RECENT_PROJECT_FILES)[number];

export interface RecentProjectRecord {
  /** The path as the IDE wrote it, e.g. "$USER_HOME$/work/app" or "C:/src/App/App.sln". */
  key: string;
  /** The IDE says the project was open when it last saved (or is to be reopened at next start). */
  markedOpen: boolean;
  /** The IDE keeps the project out of its recent list (opened for a diff, a light edit...). */
  hidden: boolean;
  activationTimestamp?: number;
  projectOpenTimestamp?: number;
  frameTitle?: string;
  displayName?: string;
  build?: string;
  productionCode?: string;
  /** The component that listed it, e.g. "RecentProjectsManager". */
  component: string;
}

export type RecentProjectsParse = { ok: true; records: RecentProjectRecord[] } | { ok: false; error: string };

const MANAGER_COMPONENT = /^(?:Rider)?Recent\w*Manager$/;

function optionValue(parent: XmlElement, name: string): string | undefined {
  for (const option of childElements(parent, 'option')) {
    if (option.attributes.get('name') === name) return option.attributes.get('value');
  }
  return undefined;
}

function namedOption(parent: XmlElement, name: string): XmlElement | undefined {
  return childElements(parent, 'option').find((option) => option.attributes.get('name') === name);
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

function timestamp(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d{1,16}\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

/** `<list><option value="…"/>…</list>` values, in order. */
function listValues(option: XmlElement | undefined): string[] {
  if (!option) return [];
  const values: string[] = [];
  for (const list of childElements(option, 'list')) {
    for (const item of childElements(list, 'option')) {
      const value = item.attributes.get('value');
      if (value !== undefined && value !== '') values.push(value);
    }
  }
  return values;
}

function metaInfoRecord(key: string, component: string, meta: XmlElement | undefined): RecentProjectRecord {
  const attr = (name: string): string | undefined => meta?.attributes.get(name) ?? (meta && optionValue(meta, name));
  const record: RecentProjectRecord = {
    key,
    markedOpen: isTrue(attr('opened')),
    hidden: isTrue(attr('hidden')),
    component,
  };
  const activation = timestamp(attr('activationTimestamp'));
  if (activation !== undefined) record.activationTimestamp = activation;
  const opened = timestamp(attr('projectOpenTimestamp'));
  if (opened !== undefined) record.projectOpenTimestamp = opened;
  for (const field of ['frameTitle', 'displayName', 'build', 'productionCode'] as const) {
    const value = attr(field);
    if (value !== undefined && value !== '') record[field] = value;
  }
  return record;
}

function readComponent(component: XmlElement, componentName: string, into: Map<string, RecentProjectRecord>): void {
  const additionalInfo = namedOption(component, 'additionalInfo');
  for (const map of additionalInfo ? childElements(additionalInfo, 'map') : []) {
    for (const entry of childElements(map, 'entry')) {
      const key = entry.attributes.get('key');
      if (key === undefined || key === '') continue;
      const value = childElements(entry, 'value')[0];
      const meta = value ? childElements(value, 'RecentProjectMetaInfo')[0] : undefined;
      into.set(key, metaInfoRecord(key, componentName, meta));
    }
  }
  for (const key of listValues(namedOption(component, 'recentPaths'))) {
    if (!into.has(key)) into.set(key, { key, markedOpen: false, hidden: false, component: componentName });
  }
  // Before the map existed, open projects were listed separately; a path may be only there.
  for (const key of listValues(namedOption(component, 'openPaths'))) {
    const existing = into.get(key);
    if (existing) existing.markedOpen = true;
    else into.set(key, { key, markedOpen: true, hidden: false, component: componentName });
  }
}

export function parseRecentProjectsXml(text: string): RecentProjectsParse {
  const parsed = parseXml(text);
  if (!parsed.ok) return { ok: false, error: formatXmlError(parsed.error) };
  const root = parsed.root;
  const components = root.name === 'component' ? [root] : childElements(root, 'component');
  const records = new Map<string, RecentProjectRecord>();
  for (const component of components) {
    const name = component.attributes.get('name');
    if (name !== undefined && MANAGER_COMPONENT.test(name)) readComponent(component, name, records);
  }
  return { ok: true, records: [...records.values()] };
}
