// `npm start`: the tray app when an Electron runtime is present (or can be downloaded), otherwise the
// headless supervisor with its web dashboard, saying why in one line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadElectronRuntime, findElectronRuntime } from './electron-runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mainBundle = path.join(root, 'dist', 'main', 'main.cjs');

async function electronExecutable() {
  if (!existsSync(mainBundle)) return { why: 'the Electron shell is not built (dist/main/main.cjs missing)' };
  let found = findElectronRuntime();
  if ('executable' in found) return found;
  const failure = await downloadElectronRuntime();
  if (failure) return { why: failure };
  found = findElectronRuntime();
  return 'executable' in found ? found : { why: found.missing };
}

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  // Ctrl-C reaches the child through the process group; forward a plain SIGTERM (kill, service managers).
  const forward = (signal) => child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', () => {});
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}

const electron = await electronExecutable();
if ('executable' in electron) {
  run(electron.executable, [root, ...process.argv.slice(2)]);
} else {
  console.log(`Electron runtime not available (${electron.why}): running headless.`);
  run(process.execPath, [path.join(root, 'dist', 'cli', 'interceptor.js'), 'serve', ...process.argv.slice(2)]);
}
