// The difference between two sets of mappings, as a watcher reports it.

export interface MappingRef {
  project: string;
  port: number;
}

export interface RegistryChange {
  added: MappingRef[];
  removed: MappingRef[];
  /** Same project, another port (a hand edit, or remove + allocate between two looks). */
  changed: Array<{ project: string; port: number; previousPort: number }>;
}

export function diffMappings(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): RegistryChange {
  const change: RegistryChange = { added: [], removed: [], changed: [] };
  for (const [project, port] of after) {
    const previousPort = before.get(project);
    if (previousPort === undefined) change.added.push({ project, port });
    else if (previousPort !== port) change.changed.push({ project, port, previousPort });
  }
  for (const [project, port] of before) if (!after.has(project)) change.removed.push({ project, port });
  return change;
}

export function isEmptyChange(change: RegistryChange): boolean {
  return change.added.length === 0 && change.removed.length === 0 && change.changed.length === 0;
}
