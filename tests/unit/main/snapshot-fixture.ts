// Snapshots for the tray and IPC tests: a project in each state the supervisor reports.
import type { AppSnapshot, ProjectState } from '../../../shared/api';

const EMPTY_STATS = { requests: 0, errors: 0, bytesIn: 0, bytesOut: 0, lastRequestAt: null, p50Ms: null, p95Ms: null };

export function project(overrides: Partial<ProjectState> & Pick<ProjectState, 'project'>): ProjectState {
  const name = overrides.project.split('/').filter(Boolean).at(-1) ?? overrides.project;
  return {
    name,
    port: 8888,
    status: 'running',
    sources: [{ kind: 'jetbrains', product: 'IntelliJ IDEA', version: '2025.2' }],
    stats: { ...EMPTY_STATS },
    upstream: { reachable: true },
    ...overrides,
  };
}

export function snapshot(projects: ProjectState[], overrides: Partial<AppSnapshot> = {}): AppSnapshot {
  return {
    version: '0.1.0',
    projects,
    registry: { file: '/home/u/.config/litellm/port_registry.json', range: { start: 8888, end: 9999 }, readOnly: false, warnings: [] },
    detection: { enabled: true, ides: [] },
    notices: [],
    ...overrides,
  };
}
