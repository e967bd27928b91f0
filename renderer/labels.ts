// Words the page shows for the snapshot's values, in one place so every view says the same thing.
import type { LiteLlmInfo, ProjectSource, ProjectState, ProjectStatus } from '../shared/api';
import type { SettingProvenance } from '../shared/settings-view';

const STATUS_LABELS: Record<ProjectStatus, string> = {
  running: 'Running',
  stopped: 'Stopped',
  starting: 'Starting…',
  error: 'Error',
  'folder-missing': 'Folder missing',
};

export function statusLabel(status: ProjectStatus): string {
  return STATUS_LABELS[status];
}

export function sourceLabel(source: ProjectSource): string {
  switch (source.kind) {
    case 'jetbrains':
      return source.version ? `${source.product} ${source.version}` : source.product;
    case 'pinned':
      return 'Pinned';
    case 'cli':
      return 'CLI';
  }
}

export function sourcesLabel(sources: readonly ProjectSource[]): string {
  return sources.length === 0 ? 'None (not open anywhere)' : sources.map(sourceLabel).join(' · ');
}

export function upstreamLabel(upstream: ProjectState['upstream']): string {
  if (upstream.reachable === null) return 'Not checked yet';
  return upstream.reachable ? 'Reachable' : 'Unreachable';
}

/** The LiteLLM the proxies talk to, as its answers name it. */
export function litellmLabel(litellm: LiteLlmInfo | undefined): string {
  if (!litellm?.version) return 'LiteLLM version not seen yet';
  return litellm.dropsClientTags ? `LiteLLM ${litellm.version} (ignores project tags)` : `LiteLLM ${litellm.version}`;
}

export function countLabel(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** Where a setting's value comes from, in a sentence: "From TARGET_LLM_URL — environment wins over settings". */
export function provenanceLabel(provenance: SettingProvenance): string {
  switch (provenance.source) {
    case 'env':
      return `From ${provenance.envVar ?? 'an environment variable'} — environment wins over settings`;
    case 'settings':
      return 'From the settings file';
    case 'default':
      return 'Default';
  }
}

/** The folder holding a file, for either path flavour (the page has no path module). */
export function folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  if (cut < 0) return file;
  if (cut === 0) return file.slice(0, 1);
  // "C:\registry.json" keeps its root's separator.
  if (cut === 2 && /^[A-Za-z]:/.test(file)) return file.slice(0, 3);
  return file.slice(0, cut);
}
