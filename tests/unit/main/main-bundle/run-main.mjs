// Plays the app's executable for the packaged `interceptor` launcher tests: runs the built main
// bundle against fake-electron.mjs as Electron would run it from a package, with this process's
// arguments as the app's (process.argv is [executable, ...arguments] in a packaged app), and exits
// with the code main passes to app.exit. Usage:
//   FAKE_ELECTRON_PACKAGED=1 FAKE_ELECTRON_RESOURCES=<resources> node run-main.mjs <main.cjs> [app arguments...]
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import * as electron from './fake-electron.mjs';

const [bundle, ...appArguments] = process.argv.slice(2);
const load = Module._load;
Module._load = function loadFakeElectron(request, ...rest) {
  if (request === 'electron') return electron;
  return load.call(this, request, ...rest);
};
if (process.env.FAKE_ELECTRON_RESOURCES) process.resourcesPath = process.env.FAKE_ELECTRON_RESOURCES;
process.argv = [process.execPath, ...appArguments];
electron.app.once('fake-exit', (code) => process.exit(code));
createRequire(import.meta.url)(path.resolve(bundle));
