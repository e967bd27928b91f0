// `interceptor detect [--json] [--config-dir PATH]...`: shows what JetBrains project discovery sees,
// with the same code the app runs, so a user can tell why a project is or is not served.
//
// --json prints one object on stdout (stable shape; fields marked ? are omitted when unknown):
// {
//   "platform": "linux" | "darwin" | "win32" | ...,
//   "roots": [ { "dir": string, "kind": "jetbrains"|"google"|"legacy-home"|"legacy-preferences"|"user",
//                "exists": boolean, "error"?: string } ],
//   "ides": [ {
//       "configDir": string, "systemDir"?: string,
//       "product": string,            // from the folder name: "PyCharm", "IntelliJIdea", "AndroidStudio"
//       "productName": string,        // "PyCharm", "IntelliJ IDEA", "Android Studio"
//       "version"?: string,           // "2025.1"
//       "build"?: string,             // newest build recorded with a project: "PY-251.23774.444"
//       "layout": "modern" | "legacy" | "user",
//       "running": boolean,
//       "liveness": { "via": "lock"|"socket"|"port"|"none", "pid"?: number, "port"?: number, "reason": string },
//       "files": [ { "name": string, "path": string, "status": "ok"|"missing"|"error", "entries": number,
//                    "error"?: string, "stale": boolean } ],   // stale: entries from the last good version
//       "userMacros": [string]       // names from path.macros.xml
//   } ],
//   "entries": [ {                    // every entry of every IDE file
//       "key": string,                // as written by the IDE, macros unexpanded
//       "path"?: string,              // the project folder; absent when it cannot be resolved
//       "file": string, "configDir": string, "product": string, "productName": string,
//       "version"?: string, "build"?: string,
//       "markedOpen": boolean, "hidden": boolean, "ideRunning": boolean,
//       "open": boolean,              // what the app serves: marked open, not hidden, resolved, IDE running
//       "reason": string,
//       "lastActivated"?: number, "projectOpened"?: number,   // ms since the epoch
//       "frameTitle"?: string,
//       "unknownMacros": [string]     // "$NAME$" variables we could not expand, without the $ signs
//   } ],
//   "projects": [ {                   // one per folder, as the app's JetBrains source publishes them
//       "path": string, "open": boolean, "lastActivated"?: number, "frameTitle"?: string,
//       "source": { "kind": "jetbrains", "product": string, "productName": string, "version"?: string,
//                   "build"?: string, "configDir": string }
//   } ],
//   "runningIdes": [ { "product": string, "version"?: string, "pid": number, "configDir": string,
//                      "openProjects": [string], "inFront": string|null, "lastFocused": string|null } ],
//   "focus": { "state": "readable"|"unavailable", "message"?: string, "window"?: { "pid": number, "title": string } },
//   "idePort": { "port": number, "url": string, "status": "served"|"free"|"busy", "served": boolean,
//                "recent": [ RecentRequest with "project"? and "attribution" ] }   // recent: from the running Interceptor
// }
// Exit codes: 0 whenever detection ran (even when nothing was found), 2 for bad arguments.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { detectJetBrains, type DetectReport } from '../../core/discovery/jetbrains/detect-jetbrains';
import type { IdeReport, ProjectEntryReport } from '../../core/discovery/jetbrains/ide-state';
import { ExitCode, type CliContext, type Command } from '../command';
import { formatIdePortReport, idePortReport } from '../ide-port-report';

const HELP = `Usage: interceptor detect [--json] [--config-dir PATH]...

Lists every JetBrains IDE config folder found (product, version, whether the IDE is running and how
that was decided) and every project those IDEs remember: the folder after path variables are
expanded, whether the IDE marked it open, whether it is actually served, and why not.

Then, for the shared IDE port: each running IDE's process id, its open projects, the one in
front now and the one \`last-focused\` would pick, and the port's last requests with their project
and rule (asked of the running Interceptor).

A project is served only while it is marked open AND its IDE is running. The IDE records opens when
it saves its project list (e.g. when its window loses focus), so an open can show up late; closes
and quits show up within seconds.

Options:
  --config-dir PATH   also look in PATH: an IDE config folder, or a folder holding several
                      (repeatable; for IDEs started with a custom idea.config.path)
  --json              machine-readable output (shape documented in docs/cli-json.md)
`;

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The --json document; built field by field so internal changes cannot leak into the contract. */
export function detectJson(report: DetectReport): unknown {
  return {
    platform: report.platform,
    roots: report.roots.map((r) => omitUndefined({ dir: r.dir, kind: r.kind, exists: r.exists, error: r.error })),
    ides: report.ides.map((ide) =>
      omitUndefined({
        configDir: ide.configDir,
        systemDir: ide.systemDir,
        product: ide.product,
        productName: ide.productName,
        version: ide.version,
        build: ide.build,
        layout: ide.layout,
        running: ide.running,
        liveness: omitUndefined({ via: ide.liveness.via, pid: ide.liveness.pid, port: ide.liveness.port, reason: ide.liveness.reason }),
        files: ide.files.map((f) =>
          omitUndefined({ name: f.name, path: f.path, status: f.status, entries: f.entries, error: f.error, stale: f.stale }),
        ),
        userMacros: [...ide.userMacros],
      }),
    ),
    entries: report.entries.map((e) =>
      omitUndefined({
        key: e.key,
        path: e.path,
        file: e.file,
        configDir: e.configDir,
        product: e.product,
        productName: e.productName,
        version: e.version,
        build: e.build,
        markedOpen: e.markedOpen,
        hidden: e.hidden,
        ideRunning: e.ideRunning,
        open: e.open,
        reason: e.reason,
        lastActivated: e.lastActivated,
        projectOpened: e.projectOpened,
        frameTitle: e.frameTitle,
        unknownMacros: [...e.unknownMacros],
      }),
    ),
    projects: report.projects.map((p) =>
      omitUndefined({
        path: p.path,
        open: p.open,
        lastActivated: p.lastActivated,
        frameTitle: p.frameTitle,
        source:
          p.source.kind === 'jetbrains'
            ? omitUndefined({
                kind: p.source.kind,
                product: p.source.product,
                productName: p.source.productName,
                version: p.source.version,
                build: p.source.build,
                configDir: p.source.configDir,
              })
            : { kind: p.source.kind },
      }),
    ),
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** Columns sized to their content; the last column is never padded. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function localTime(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '-';
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function ideLabel(ide: Pick<IdeReport, 'productName' | 'version'>): string {
  return ide.version === undefined ? ide.productName : `${ide.productName} ${ide.version}`;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

export function formatDetectReport(report: DetectReport): string {
  const out: string[] = [];
  if (report.ides.length === 0) {
    out.push('No JetBrains IDE config folder found.');
  } else {
    out.push(`JetBrains IDE config folders (${report.ides.length}):`);
    out.push(
      ...table(
        ['IDE', 'RUNNING', 'WHY', 'CONFIG FOLDER'],
        report.ides.map((ide) => [ideLabel(ide), yesNo(ide.running), ide.liveness.reason, ide.configDir]),
      ),
    );
    for (const ide of report.ides) {
      for (const file of ide.files) {
        if (file.status !== 'error') continue;
        const kept = file.stale ? `; using its last good version (${file.entries} entries)` : '';
        out.push(`  ! ${file.path}: ${file.error ?? 'unreadable'}${kept}`);
      }
      if (ide.watchError !== undefined) out.push(`  ! ${ide.watchError}`);
    }
  }
  out.push('');
  if (report.entries.length === 0) {
    out.push('No recent projects listed by any IDE.');
  } else {
    const served = report.projects.filter((p) => p.open).length;
    out.push(`Projects (${report.entries.length} entries, ${served} open):`);
    const rows = report.entries.map((e: ProjectEntryReport) => [
      yesNo(e.open),
      yesNo(e.markedOpen),
      ideLabel(e),
      localTime(e.lastActivated),
      e.path ?? e.key,
      e.open ? '' : e.reason,
    ]);
    out.push(...table(['OPEN', 'MARKED', 'IDE', 'LAST ACTIVE', 'PATH', 'NOTE'], rows));
  }
  out.push('');
  out.push('Searched:');
  for (const root of report.roots) {
    const state = root.error !== undefined ? `unreadable: ${root.error}` : root.exists ? 'found' : 'not present';
    out.push(`  ${root.dir} (${state})`);
  }
  out.push('');
  out.push('Opens appear when the IDE saves its project list (e.g. when its window loses focus); closes and quits within seconds.');
  return out.join('\n') + '\n';
}

export const detectCommand: Command = {
  name: 'detect',
  help: HELP,
  async run(ctx: CliContext): Promise<number> {
    let values: { 'config-dir'?: string[]; json?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({
        args: ctx.args,
        options: {
          'config-dir': { type: 'string', multiple: true },
          json: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
        allowPositionals: false,
        strict: true,
      }));
    } catch (error) {
      ctx.stderr.write(`interceptor detect: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.usage;
    }
    if (values.help) {
      ctx.stdout.write(HELP);
      return ExitCode.ok;
    }
    const extraConfigDirs: string[] = [];
    for (const raw of values['config-dir'] ?? []) {
      if (raw.trim() === '') {
        ctx.stderr.write('interceptor detect: --config-dir needs a folder path\n');
        return ExitCode.usage;
      }
      const dir = path.resolve(ctx.cwd, raw);
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) {
        ctx.stderr.write(`interceptor detect: --config-dir ${raw}: no such folder\n`);
        return ExitCode.usage;
      }
      extraConfigDirs.push(dir);
    }
    const report = await detectJetBrains({ platform: process.platform, env: ctx.env, extraConfigDirs });
    const ide = await idePortReport(ctx, report);
    if (ctx.globals.json || values.json) {
      ctx.stdout.write(JSON.stringify({ ...(detectJson(report) as object), ...ide }, null, 2) + '\n');
    } else {
      ctx.stdout.write(formatDetectReport(report) + formatIdePortReport(ide));
    }
    return ExitCode.ok;
  },
};
