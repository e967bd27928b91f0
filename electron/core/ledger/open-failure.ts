// Why the usage database could not be opened, in one line a user can act on. The usual cause on a
// developer's machine is the native SQLite driver built for another runtime (a checkout's Node build
// loaded by Electron, or the reverse), whose own message lists a dozen paths.

export function describeOpenFailure(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/bindings file|NODE_MODULE_VERSION|invalid ELF|dlopen|was compiled against/i.test(message)) {
    return `Usage cannot be recorded: the SQLite driver (better-sqlite3) is not built for this runtime (${process.versions.electron ? `Electron ${process.versions.electron}` : `Node ${process.version}`}); reinstall or rebuild it (npm rebuild better-sqlite3)`;
  }
  return `Usage cannot be recorded: the database ${file} could not be opened (${message.split('\n')[0]})`;
}
