// An in-memory stand-in for the supervisor behind the API (the real one arrives with the supervisor
// work): enough state to answer every method, record the calls, and publish snapshots, so the
// dashboard transport can be exercised end to end over real HTTP.
import type { ApiArgs, ApiMethodName, AppSnapshot, ProjectState } from '../../../shared/api';
import type { ApiHandlers } from '../../../electron/core/api/api-handlers';
import { InterceptorError } from '../../../electron/core/errors';
import { effectiveSettings, settingsView } from '../../../electron/core/settings/effective-settings';
import { applySettingsUpdate, type StoredSettings } from '../../../shared/settings-fields';

function project(path: string, port: number): ProjectState {
  return {
    project: path,
    name: path.split('/').pop() ?? path,
    port,
    status: 'running',
    sources: [{ kind: 'pinned' }],
    stats: { requests: 0, errors: 0, bytesIn: 0, bytesOut: 0, lastRequestAt: null, p50Ms: null, p95Ms: null },
    upstream: { reachable: null },
  };
}

export class FakeApp {
  readonly calls: Array<{ method: ApiMethodName; arg: unknown }> = [];
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  private stored: StoredSettings = { apiKey: 'sk-test-key-0123456789SECRET' };
  snapshot: AppSnapshot = {
    version: '0.1.0',
    projects: [project('/home/me/alpha', 8888)],
    registry: { file: '/home/me/.config/litellm/port_registry.json', range: { start: 8888, end: 9999 }, readOnly: false, warnings: [] },
    detection: { enabled: true, ides: [] },
    notices: [{ id: 1, kind: 'key-withheld', message: 'a request went without the key', at: 1 }],
  };
  /** Makes the next handler call fail with a plain (unexpected) error. */
  explodeNext = false;

  subscribe = (listener: (snapshot: AppSnapshot) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get listenerCount(): number {
    return this.listeners.size;
  }

  getSnapshot = (): AppSnapshot => structuredClone(this.snapshot);

  publish(change: (snapshot: AppSnapshot) => void): void {
    change(this.snapshot);
    for (const listener of this.listeners) listener(this.getSnapshot());
  }

  private find(path: string): ProjectState {
    const found = this.snapshot.projects.find((p) => p.project === path);
    if (!found) throw new InterceptorError('NOT_FOUND', `no mapping for ${path}`);
    return found;
  }

  private record<M extends ApiMethodName>(method: M, arg: ApiArgs[M]): void {
    this.calls.push({ method, arg });
    if (this.explodeNext) {
      this.explodeNext = false;
      throw new Error('boom: internal detail /secret/path');
    }
  }

  readonly handlers: ApiHandlers = {
    getSnapshot: (arg) => {
      this.record('getSnapshot', arg);
      return this.getSnapshot();
    },
    listMappings: (arg) => {
      this.record('listMappings', arg);
      return this.snapshot.projects.map((p) => ({ project: p.project, port: p.port ?? 0 }));
    },
    removeMapping: (arg) => {
      this.record('removeMapping', arg);
      const found = 'project' in arg ? this.find(arg.project) : this.snapshot.projects.find((p) => p.port === arg.port);
      if (!found) throw new InterceptorError('NOT_FOUND', `no mapping for port ${'port' in arg ? arg.port : ''}`);
      this.publish((s) => (s.projects = s.projects.filter((p) => p !== found)));
      return { project: found.project, port: found.port ?? 0 };
    },
    resetRegistry: (arg) => {
      this.record('resetRegistry', arg);
      const removed = this.snapshot.projects.length;
      this.publish((s) => (s.projects = []));
      return { backupPath: '/home/me/.config/litellm/port_registry.json.bak', removed };
    },
    startProject: (arg) => {
      this.record('startProject', arg);
      return this.find(arg.project);
    },
    stopProject: (arg) => {
      this.record('stopProject', arg);
      return { ...this.find(arg.project), status: 'stopped' };
    },
    openProjectFolder: (arg) => {
      this.record('openProjectFolder', arg);
      const added = project(arg.path, 8889);
      this.publish((s) => s.projects.push(added));
      return added;
    },
    reassignPort: (arg) => {
      this.record('reassignPort', arg);
      return { ...this.find(arg.project), port: 8890 };
    },
    revealFolder: (arg) => {
      this.record('revealFolder', arg);
      this.find(arg.project);
      return null;
    },
    getSettings: (arg) => {
      this.record('getSettings', arg);
      return settingsView('/cfg/interceptor-settings.json', effectiveSettings(this.stored, {}));
    },
    updateSettings: (arg) => {
      this.record('updateSettings', arg);
      this.stored = applySettingsUpdate(this.stored, arg);
      return settingsView('/cfg/interceptor-settings.json', effectiveSettings(this.stored, {}));
    },
    previewHeaders: (arg) => {
      this.record('previewHeaders', arg);
      this.find(arg.project);
      return { target: 'http://localhost:4000', headers: [{ name: 'authorization', value: 'Bearer sk-…CRET', redacted: true }] };
    },
    dismissNotice: (arg) => {
      this.record('dismissNotice', arg);
      return null;
    },
    getClientToken: (arg) => {
      this.record('getClientToken', arg);
      return { token: 'sk-interceptor-test', file: '/cfg/interceptor-client-token' };
    },
    rotateClientToken: (arg) => {
      this.record('rotateClientToken', arg);
      return { token: 'sk-interceptor-rotated', file: '/cfg/interceptor-client-token' };
    },
    previewClientSetup: (arg) => {
      this.record('previewClientSetup', arg);
      this.find(arg.project);
      return { project: arg.project, port: 8888, clients: [], gitExclude: { file: null, add: [], note: 'not in a git work tree: nothing to exclude' }, undoable: false };
    },
    applyClientSetup: (arg) => {
      this.record('applyClientSetup', arg);
      this.find(arg.project);
      return { project: arg.project, port: 8888, written: [], skipped: [], excluded: [], notes: [] };
    },
    undoClientSetup: (arg) => {
      this.record('undoClientSetup', arg);
      this.find(arg.project);
      return { project: arg.project, restored: [], removed: [], kept: [], unexcluded: [] };
    },
    rewriteClientFiles: (arg) => {
      this.record('rewriteClientFiles', arg);
      this.find(arg.project);
      return { project: arg.project, port: 8888, written: [], skipped: [], excluded: [], notes: [] };
    },
    previewIdePortHeaders: (arg) => {
      this.record('previewIdePortHeaders', arg);
      return { target: 'http://localhost:4000', headers: [], attribution: { project: null, rule: 'unattributed' } };
    },
    getIdePortRequests: (arg) => {
      this.record('getIdePortRequests', arg);
      return [];
    },
    getRecentRequests: (arg) => {
      this.record('getRecentRequests', arg);
      this.find(arg.project);
      return [{ at: 1, method: 'POST', path: '/v1/chat/completions', status: 200, durationMs: 12, model: 'gpt-4o', streamed: true }];
    },
    getUsage: (arg) => {
      this.record('getUsage', arg);
      return { enabled: false, file: '/tmp/interceptor-usage.sqlite', notices: [], days: [], projects: [], perDay: [], byModel: [], byClient: [], recent: [] };
    },
  };
}
