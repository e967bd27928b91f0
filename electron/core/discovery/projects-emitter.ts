// Shared by every source: remembers the last list it published and tells listeners only when the list
// really changed, so consumers never see duplicate notifications.
import type { DiscoveredProject, ProjectsListener } from './project-source';

export class ProjectsEmitter {
  private readonly listeners = new Set<ProjectsListener>();
  private projects: readonly DiscoveredProject[] = [];
  private fingerprint: string | undefined;

  current(): readonly DiscoveredProject[] {
    return this.projects;
  }

  on(listener: ProjectsListener): () => void {
    this.listeners.add(listener);
    return () => this.off(listener);
  }

  off(listener: ProjectsListener): void {
    this.listeners.delete(listener);
  }

  /** Publishes `projects` if it differs from the last published list (or `force` for the first one). */
  publish(projects: readonly DiscoveredProject[], force = false): boolean {
    const fingerprint = JSON.stringify(projects);
    if (!force && fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;
    this.projects = Object.freeze([...projects]);
    for (const listener of [...this.listeners]) {
      try {
        listener(this.projects);
      } catch (error) {
        // A faulty listener must not stop the others or the source's own bookkeeping.
        console.error(`project source listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return true;
  }
}
