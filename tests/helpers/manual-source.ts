// A project source driven by the test itself: the same interface the JetBrains and pinned sources
// implement, with open/close under the test's control.
import type { DiscoveredProject, ProjectSource, ProjectsListener } from '../../electron/core/discovery/project-source';

export class ManualSource implements ProjectSource {
  readonly kind = 'manual';
  private projects: DiscoveredProject[] = [];
  private readonly listeners = new Set<ProjectsListener>();

  async start(): Promise<void> {
    this.publish();
  }

  async stop(): Promise<void> {
    this.listeners.clear();
  }

  current(): readonly DiscoveredProject[] {
    return this.projects;
  }

  on(_event: 'change', listener: ProjectsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  off(_event: 'change', listener: ProjectsListener): void {
    this.listeners.delete(listener);
  }

  open(path: string): void {
    this.projects = [...this.projects.filter((p) => p.path !== path), { path, open: true, source: { kind: 'pinned' } }];
    this.publish();
  }

  close(path: string): void {
    this.projects = this.projects.filter((p) => p.path !== path);
    this.publish();
  }

  private publish(): void {
    for (const listener of this.listeners) listener(this.projects);
  }
}
