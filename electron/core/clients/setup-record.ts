// What setup changed in one project, kept beside the registry (never in the project): each file's
// content before the first setup (null: setup created it) and a hash of what setup last wrote, plus
// the lines added to .git/info/exclude. Undo restores from it, and only files still holding what setup
// wrote: an edit the user made since is never overwritten. Private (0600): a before-text may hold keys.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureFolder, readIfExists, writeFileAtomic } from '../registry/atomic-file';

export interface RecordedFile {
  file: string;
  scope: 'project' | 'user';
  /** Content before the first setup; null when setup created the file. */
  before: string | null;
  /** SHA-256 of the content setup last wrote. */
  written: string;
  /** Folders setup created for it, deepest first (removed on undo when empty). */
  createdFolders: string[];
  /** The client it was written for (records from before this field lack it). */
  client?: string;
  /** Shared with other setups: undo leaves it. */
  keep?: boolean;
}

export interface SetupRecord {
  version: 1;
  project: string;
  files: RecordedFile[];
  exclude: { file: string; patterns: string[] } | null;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function slugOf(project: string): string {
  const base = path.basename(project).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'project';
  return `${base}-${sha256(project).slice(0, 16)}`;
}

export class SetupRecords {
  constructor(private readonly dir: string) {}

  fileFor(project: string): string {
    return path.join(this.dir, slugOf(project), 'setup-record.json');
  }

  async read(project: string): Promise<SetupRecord | null> {
    const bytes = await readIfExists(this.fileFor(project));
    if (bytes === undefined) return null;
    try {
      const record = JSON.parse(bytes.toString('utf8')) as SetupRecord;
      return record.version === 1 && record.project === project && Array.isArray(record.files) ? record : null;
    } catch {
      return null;
    }
  }

  async write(record: SetupRecord): Promise<void> {
    const file = this.fileFor(record.project);
    await ensureFolder(path.dirname(file));
    await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  }

  async remove(project: string): Promise<void> {
    await rm(path.dirname(this.fileFor(project)), { recursive: true, force: true });
  }
}
