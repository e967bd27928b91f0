// What the engine learns about LiteLLM from the answers its proxies relay: the version that answers
// (shown by `interceptor status`, the window and the dashboard) and the refusals our headers or key
// can cause. Each becomes one notice naming the fix, told once rather than on every request.
import type { LiteLlmInfo } from '../../../shared/api';
import { clientTagsWarning, dropsClientTags } from '../litellm/litellm-version';
import { describeUpstreamProblem } from '../litellm/upstream-problem';
import type { RequestEntry } from '../proxy';
import type { Notice } from './service-types';

export class LiteLlmWatch {
  private version: string | null = null;
  /** Notices already told (kind, project, text), so a repeated cause is told once. */
  private readonly told = new Set<string>();

  constructor(
    private readonly notify: (notice: Notice) => void,
    /** The version changed: the snapshot must be pushed again. */
    private readonly changed: () => void,
  ) {}

  /** A finished request of `project`. */
  seen(project: string | undefined, request: RequestEntry): void {
    const { litellmVersion, problem } = request;
    if (litellmVersion !== undefined && litellmVersion !== this.version) {
      this.version = litellmVersion;
      this.changed();
      const warning = clientTagsWarning(litellmVersion);
      if (warning !== undefined) this.tell({ kind: 'litellm-drops-tags', message: warning });
    }
    if (problem !== undefined) this.tell({ kind: 'litellm-refused', ...(project !== undefined ? { project } : {}), message: describeUpstreamProblem(problem) });
  }

  /** LiteLLM's address changed: what the old one said no longer holds. */
  reset(): void {
    if (this.version === null) return;
    this.version = null;
    this.changed();
  }

  info(): LiteLlmInfo {
    return { version: this.version, dropsClientTags: this.version !== null && dropsClientTags(this.version) };
  }

  private tell(notice: Notice): void {
    const key = `${notice.kind}\n${notice.project ?? ''}\n${notice.message}`;
    if (this.told.has(key)) return;
    this.told.add(key);
    this.notify(notice);
  }
}
