import { describe, expect, it } from 'vitest';
import { projectsNamedByTitle } from '../../../electron/core/attribution/frame-title';
import type { OpenProject } from '../../../electron/core/attribution/running-ides';

const HOME = '/home/me';
const project = (p: string, extra: Partial<OpenProject> = {}): OpenProject => ({ path: p, idePath: p, name: p.split('/').pop() as string, ...extra });
const names = (title: string, projects: OpenProject[]): string[] => projectsNamedByTitle(title, projects, HOME).map((p) => p.path);

describe('JetBrains frame titles', () => {
  const app = project('/home/me/work/app');
  const appServer = project('/home/me/work/app-server');
  const other = project('/home/me/work/other');

  it('"project – file" names the project, whatever the dash', () => {
    expect(names('app – Main.kt', [app, other])).toEqual(['/home/me/work/app']);
    expect(names('app - Main.kt', [app, other])).toEqual(['/home/me/work/app']);
    expect(names('app — Main.kt', [app, other])).toEqual(['/home/me/work/app']);
    expect(names('app', [app, other])).toEqual(['/home/me/work/app']);
  });

  it('matches the whole name, never a prefix of a longer one', () => {
    expect(names('app-server – pom.xml', [app, appServer])).toEqual(['/home/me/work/app-server']);
    expect(names('application – x', [app])).toEqual([]);
  });

  it('two open projects of one name: ambiguous without the folder, decided by "name [~/path]"', () => {
    const a = project('/home/me/a/app');
    const b = project('/home/me/b/app');
    expect(names('app – Main.kt', [a, b])).toEqual(['/home/me/a/app', '/home/me/b/app']);
    expect(names('app [~/b/app] – Main.kt', [a, b])).toEqual(['/home/me/b/app']);
    expect(names('app [/home/me/a/app] – Main.kt', [a, b])).toEqual(['/home/me/a/app']);
  });

  it('a folder reached through a symlink matches by the path the IDE wrote', () => {
    const linked = project('/data/real/app', { idePath: '/home/me/app' });
    expect(names('app [~/app] – x', [linked])).toEqual(['/data/real/app']);
  });

  it('a renamed project matches by the name in its recorded frame title', () => {
    const renamed = project('/home/me/work/x1', { frameTitle: 'Billing Service – Invoice.kt' });
    expect(names('Billing Service – Other.kt', [renamed, other])).toEqual(['/home/me/work/x1']);
  });

  it('other windows name nothing', () => {
    expect(names('Welcome to IntelliJ IDEA', [app, other])).toEqual([]);
    expect(names('', [app])).toEqual([]);
    expect(names('Settings', [app])).toEqual([]);
  });
});
