// Folds the entries of every IDE config folder into one project per folder: the same project is
// often listed by several IDE versions (2024.2 and 2024.3) or products; it is open when any running
// IDE has it open, and it is attributed to that IDE (else to the one that used it last).
import type { DiscoveredProject, JetBrainsProjectOrigin } from '../project-source';
import { compareProjectPaths, projectPathKey } from '../path-flavour';
import type { ProjectEntryReport } from './ide-state';

function better(candidate: ProjectEntryReport, current: ProjectEntryReport): boolean {
  if (candidate.open !== current.open) return candidate.open;
  return (candidate.lastActivated ?? 0) > (current.lastActivated ?? 0);
}

export function jetBrainsProjects(entries: readonly ProjectEntryReport[], platform: NodeJS.Platform): DiscoveredProject[] {
  const chosen = new Map<string, ProjectEntryReport>();
  for (const entry of entries) {
    if (entry.path === undefined) continue;
    const key = projectPathKey(platform, entry.path);
    const current = chosen.get(key);
    if (current === undefined || better(entry, current)) chosen.set(key, entry);
  }
  const projects: DiscoveredProject[] = [];
  for (const entry of chosen.values()) {
    const source: JetBrainsProjectOrigin = {
      kind: 'jetbrains',
      product: entry.product,
      productName: entry.productName,
      configDir: entry.configDir,
    };
    if (entry.version !== undefined) source.version = entry.version;
    if (entry.build !== undefined) source.build = entry.build;
    const project: DiscoveredProject = { path: entry.path as string, open: entry.open, source };
    if (entry.lastActivated !== undefined) project.lastActivated = entry.lastActivated;
    if (entry.frameTitle !== undefined) project.frameTitle = entry.frameTitle;
    projects.push(project);
  }
  return projects.sort(compareProjectPaths);
}
