// Runs the built main bundle against fake-electron.mjs and plays one scenario through it, then
// prints what happened as one `REPORT {json}` line. Usage: node drive-main.mjs <main.cjs> <scenario>
// Scenarios: tray | no-tray | locked | bad-env. The engine behind main is the real one (temp HOME).
import Module, { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import * as electron from './fake-electron.mjs';

const { record, app, BrowserWindow } = electron;
const [bundleArg, scenario] = process.argv.slice(2);
const mainBundle = path.resolve(bundleArg ?? 'dist/main/main.cjs');

const load = Module._load;
Module._load = function loadFakeElectron(request, ...rest) {
  if (request === 'electron') return electron;
  return load.call(this, request, ...rest);
};

const report = { scenario };
const exited = new Promise((resolve) => app.once('fake-exit', resolve));

function finish() {
  console.log(`REPORT ${JSON.stringify(report)}`);
  process.exit(0);
}

setTimeout(() => {
  report.timedOut = true;
  finish();
}, 45_000).unref();

async function until(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const labels = (items) => (items ?? []).map((item) => item.label ?? item.type);
const lastMenu = () => record.trays[0]?.menus.at(-1)?.template;
const find = (items, label) => (items ?? []).find((item) => item.label === label);
const liveWindow = () => BrowserWindow.getAllWindows()[0];

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function ipcEvent(window, frameOverrides = {}) {
  return { sender: window.webContents, senderFrame: { ...window.webContents.mainFrame, ...frameOverrides } };
}

async function invoke(channel, event, ...args) {
  const handler = record.ipcHandlers.get(channel);
  if (!handler) return { noHandler: channel };
  return handler(event, ...args);
}

async function tray() {
  const menu = await until('the tray menu', lastMenu);
  report.menu = labels(menu);
  report.tooltip = record.trays[0].tooltip;
  report.channels = [...record.ipcHandlers.keys()].sort();
  report.schemes = record.privilegedSchemes;
  report.trayImage = record.trays[0].image.file;

  find(menu, 'Open window…').click();
  const window = await until('the window', () => liveWindow()?.visible && liveWindow());
  report.window = { webPreferences: window.options.webPreferences, url: window.loadedUrl, title: window.title };

  const serve = record.protocolHandlers.get('app');
  const page = await serve(new Request('app://interceptor/index.html'));
  report.page = { status: page.status, csp: page.headers.get('content-security-policy'), type: page.headers.get('content-type'), hasHtml: (await page.text()).includes('<html') };
  report.pageRefusals = await Promise.all(
    ['app://interceptor/../../../../etc/passwd', 'app://interceptor/%2e%2e/%2e%2e/etc/passwd', 'app://other/index.html', 'app://interceptor/.hidden'].map(async (url) => (await serve(new Request(url))).status),
  );

  report.permissions = {
    clipboardOwn: record.permissionCheck(null, 'clipboard-sanitized-write', 'app://interceptor'),
    clipboardForeign: record.permissionCheck(null, 'clipboard-sanitized-write', 'https://evil.example'),
    media: await new Promise((resolve) => record.permissionRequest(window.webContents, 'media', resolve, { requestingUrl: 'app://interceptor/index.html' })),
  };

  const navigation = { url: 'https://evil.example/', prevented: false, preventDefault() { this.prevented = true; } };
  window.webContents.emit('will-navigate', navigation);
  report.navigationPrevented = navigation.prevented;
  report.windowOpen = window.webContents.windowOpenHandler({ url: 'https://evil.example/' });

  report.snapshotCall = await invoke('interceptor:getSnapshot', ipcEvent(window));
  report.foreignFrameCall = await invoke('interceptor:getSnapshot', ipcEvent(window, { url: 'https://evil.example/' }));
  report.subFrameCall = await invoke('interceptor:resetRegistry', ipcEvent(window, { parent: {} }));
  report.junkCall = await invoke('interceptor:startProject', ipcEvent(window), { project: 42 });
  report.unknownChannel = await invoke('interceptor:eval', ipcEvent(window), 'process.exit()');

  const folder = process.env.FAKE_ELECTRON_PICKED_FOLDER;
  const opened = await invoke('interceptor:openProjectFolder', ipcEvent(window), { path: folder });
  report.opened = { ok: opened.ok, name: opened.value?.name };
  const port = await until('the proxy to run', async () => {
    const snapshot = await invoke('interceptor:getSnapshot', ipcEvent(window));
    const project = snapshot.value?.projects[0];
    return project?.status === 'running' && project.port;
  });
  report.portAnswered = await portAnswers(port);
  const label = `${opened.value?.name} — :${port}`;
  const withProject = await until('the project in the tray', () => labels(lastMenu()).includes(label) && lastMenu());
  report.projectItem = labels(find(withProject, label).submenu);
  report.tooltipWithProject = record.trays[0].tooltip;
  report.statePushed = window.webContents.sent.some(([channel, snapshot]) => channel === 'interceptor:state' && snapshot.projects.length === 1);
  find(find(withProject, label).submenu, 'Copy base URL').click();
  report.copied = record.clipboard.at(-1) === `http://127.0.0.1:${port}/v1`;

  window.close();
  report.quitAfterWindowClosed = record.quitRequests;
  app.emit('second-instance', {}, [], process.cwd(), {});
  report.secondInstanceShowed = Boolean(await until('a window after second-instance', () => liveWindow()?.visible && liveWindow()));

  find(lastMenu(), 'Quit').click();
  report.exitCode = await exited;
  report.portAnsweredAfterQuit = await portAnswers(port);
  report.quitRequests = record.quitRequests;
}

async function noTray() {
  const window = await until('the window', () => liveWindow()?.visible && liveWindow());
  report.trays = record.trays.length;
  report.title = window.title;
  report.notifications = record.notifications;
  window.close();
  report.exitCode = await exited;
}

async function locked() {
  report.exitCode = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('no exit'), 2000))]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  report.quitRequests = record.quitRequests;
  report.channels = record.ipcHandlers.size;
  report.trays = record.trays.length;
  report.windows = record.windows.length;
}

async function badEnv() {
  report.exitCode = await exited;
  report.errorBoxes = record.errorBoxes;
}

createRequire(import.meta.url)(mainBundle);
const scenarios = { tray, 'no-tray': noTray, locked, 'bad-env': badEnv };
scenarios[scenario]()
  .catch((error) => {
    report.error = String(error?.stack ?? error);
  })
  .finally(finish);
