// Which open project a JetBrains window title names. A project frame's title starts with the
// project's name, then " – " (an en dash; some versions and desktops use "-" or "—") and the file;
// when two open projects share a name the IDE adds the folder, "name [~/path] – file". The name is
// matched as a whole prefix, never a substring, so "app" does not match "app-server".
import path from 'node:path';
import type { OpenProject } from './running-ides';

const SEPARATOR = /^\s+[–—-](\s|$)/;

/** The recorded title's first part: the name the IDE shows for the project (it may be renamed). */
function recordedName(project: OpenProject): string | undefined {
  if (project.frameTitle === undefined) return undefined;
  const match = /^(.*?)(?:\s+\[[^\]]*\])?(?:\s+[–—-]\s|$)/.exec(project.frameTitle);
  const name = match?.[1]?.trim();
  return name ? name : undefined;
}

function expandHome(text: string, homedir: string): string {
  if (text === '~') return homedir;
  return text.startsWith('~/') || text.startsWith('~\\') ? path.join(homedir, text.slice(2)) : text;
}

function samePath(a: string, b: string): boolean {
  const strip = (p: string): string => p.replace(/[\\/]+$/, '');
  return strip(a) === strip(b);
}

/** Whether the title names `project`: its name, then the end, a separator, or its folder in brackets. */
function titleNames(title: string, project: OpenProject, homedir: string): boolean {
  for (const name of new Set([project.name, recordedName(project)])) {
    if (name === undefined || !title.startsWith(name)) continue;
    const rest = title.slice(name.length);
    if (rest.trim() === '' || SEPARATOR.test(rest)) return true;
    const bracket = /^\s+\[([^\]]+)\](.*)$/.exec(rest);
    if (bracket && (bracket[2]?.trim() === '' || SEPARATOR.test(bracket[2] as string))) {
      const where = expandHome((bracket[1] as string).trim(), homedir);
      if (samePath(where, project.path) || samePath(where, project.idePath)) return true;
    }
  }
  return false;
}

/**
 * The open projects the title names: one when it is clear, several when it is ambiguous (two open
 * projects of one name and no folder shown), none for another window (a dialog, the welcome screen).
 */
export function projectsNamedByTitle(title: string, projects: readonly OpenProject[], homedir: string): OpenProject[] {
  const trimmed = title.trim();
  if (trimmed === '') return [];
  return projects.filter((project) => titleNames(trimmed, project, homedir));
}
