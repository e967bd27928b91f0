// The cost of learning who is on the other end of one loopback connection (what the IDE port does
// once per new connection), with 2,000 open sockets on the machine: a helper process holds 1,000
// loopback connections (both ends, 2,000 sockets) so the kernel's socket table and one process's
// descriptor table are as large as on a busy desktop. Loopback only; every loop is bounded.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = fileURLToPath(import.meta.url);
const HELD_CONNECTIONS = 1000;
const LOOKUPS = 40;
const LOOKUP_TIMEOUT_MS = 2000;

/** The helper: holds HELD_CONNECTIONS loopback connections to itself until killed. */
async function holdSockets() {
  const server = net.createServer(() => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const clients = [];
  for (let i = 0; i < HELD_CONNECTIONS; i += 1) {
    clients.push(await new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    }));
  }
  process.stdout.write('holding\n');
  setInterval(() => {}, 1 << 30);
}

/** A child that connects to `port` and waits: a client process other than this one, working in `cwd`. */
function client(port, cwd = process.cwd()) {
  const script = `const s=require('net').connect(${port},'127.0.0.1',()=>process.stdout.write('connected\\n'));setInterval(()=>{},1e6)`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd });
  return new Promise((resolve) => child.stdout.once('data', () => resolve(child)));
}

function waitForLine(child, text) {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      seen += chunk;
      if (seen.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`socket holder exited (${code})`)));
  });
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms`;
};

async function timeEach(work) {
  const times = [];
  let last;
  for (let i = 0; i < LOOKUPS; i += 1) {
    const started = performance.now();
    last = await work();
    times.push(performance.now() - started);
  }
  return { times, last };
}

export async function benchPeerLookup() {
  if (process.platform !== 'linux') {
    console.log('peer lookup: measured on Linux only (macOS and Windows ask lsof / netstat, one process start per lookup)');
    return;
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'interceptor-bench-peer-'));
  const children = [];
  try {
    // The product's own modules, bundled for plain Node (the bench runs without a TypeScript loader).
    const { build } = await import('esbuild');
    const entry = path.join(work, 'entry.ts');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      entry,
      `export { connectionEnds, lookupPeer } from ${JSON.stringify(path.join(ROOT, 'electron/core/net/peer/index.ts'))};\n` +
        `export { parentChain, ProcFsTable } from ${JSON.stringify(path.join(ROOT, 'electron/core/attribution/process-info.ts'))};\n` +
        `export { FolderProjects } from ${JSON.stringify(path.join(ROOT, 'electron/core/attribution/folder-projects.ts'))};\n` +
        `export { folderRules } from ${JSON.stringify(path.join(ROOT, 'electron/core/attribution/folder-rules.ts'))};\n` +
        `export { ProcCwdReader } from ${JSON.stringify(path.join(ROOT, 'electron/core/attribution/process-cwd.ts'))};\n` +
        `export { decide, DEFAULT_RULES } from ${JSON.stringify(path.join(ROOT, 'electron/core/attribution/rules.ts'))};\n`,
    );
    const outfile = path.join(work, 'peer.mjs');
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
    const { connectionEnds, lookupPeer, parentChain, ProcFsTable, FolderProjects, folderRules, ProcCwdReader, decide, DEFAULT_RULES } = await import(pathToFileURL(outfile).href);

    const holder = spawn(process.execPath, [SELF, '--role=hold-sockets'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    await waitForLine(holder, 'holding');
    const tcpRows = (await import('node:fs')).readFileSync('/proc/net/tcp', 'latin1').split('\n').length - 2;

    const accepted = [];
    const server = net.createServer((socket) => accepted.push(socket));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const other = await client(server.address().port);
    children.push(other);
    // This process's own connection: older than the holder, so a scan without candidates reads the holder's 2,000 descriptors first.
    const own = net.connect(server.address().port, '127.0.0.1');
    await new Promise((resolve) => own.once('connect', resolve));
    while (accepted.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const [fromChild, fromSelf] = accepted[0].remotePort === own.localPort ? [accepted[1], accepted[0]] : [accepted[0], accepted[1]];
    const table = new ProcFsTable();

    const uid = await timeEach(() => lookupPeer(connectionEnds(fromChild), { pid: false, timeoutMs: LOOKUP_TIMEOUT_MS }));
    const candidate = await timeEach(() => lookupPeer(connectionEnds(fromChild), { pid: true, timeoutMs: LOOKUP_TIMEOUT_MS, candidates: [other.pid] }));
    const scan = await timeEach(() => lookupPeer(connectionEnds(fromSelf), { pid: true, timeoutMs: LOOKUP_TIMEOUT_MS }));
    const chain = await timeEach(async () => {
      const facts = await lookupPeer(connectionEnds(fromChild), { pid: true, timeoutMs: LOOKUP_TIMEOUT_MS, candidates: [other.pid] });
      return parentChain(facts.pid, table, Date.now() + LOOKUP_TIMEOUT_MS);
    });
    console.log(`peer lookup with ${tcpRows} rows in /proc/net/tcp (a helper holds ${HELD_CONNECTIONS} loopback connections: ${HELD_CONNECTIONS * 2} sockets), ${LOOKUPS} lookups each:`);
    console.log(`  account (uid) only                                ${stats(uid.times)}  (found uid ${uid.last.uid})`);
    console.log(`  process, the IDE's PID tried first                ${stats(candidate.times)}  (found pid ${candidate.last.pid === other.pid ? 'right' : 'WRONG'})`);
    console.log(`  process, no candidate: /proc/*/fd scanned         ${stats(scan.times)}  (found pid ${scan.last.pid === process.pid ? 'right' : 'WRONG'})`);
    console.log(`  process + parent chain (what a new IDE-port connection costs) ${stats(chain.times)}  (chain of ${chain.last.length})`);

    // The working-folder rules on top: an agent working inside one of 500 registered projects, and
    // one inside an unregistered git work tree (this checkout). Each new connection reads the folder
    // of the peer (and at most a few parents) once; answers for a folder are reused for 2 s, so the
    // cold figure (answers cleared each time) is the one a new agent in a new folder pays. Each
    // figure includes the socket → PID → chain lookup above.
    const { mkdir } = await import('node:fs/promises');
    const known = [];
    for (let i = 0; i < 500; i += 1) known.push(path.join(work, 'projects', `p${i}`));
    for (const dir of known.slice(0, 3)) await mkdir(path.join(dir, 'src'), { recursive: true });
    const inProject = await client(server.address().port, path.join(known[1], 'src'));
    children.push(inProject);
    while (accepted.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    const fromProject = accepted[2];
    const cwds = new ProcCwdReader();
    const folderCost = async (socket, pid, fresh, candidates = [pid]) => {
      const folders = new FolderProjects({ known: () => known });
      const rules = folderRules({ folders, cwds });
      const times = [];
      let decision;
      for (let i = 0; i < LOOKUPS; i += 1) {
        const f = fresh ? new FolderProjects({ known: () => known }) : folders;
        const r = fresh ? folderRules({ folders: f, cwds }) : rules;
        // The index of registered projects is built once (when the port starts, then when the list changes).
        await f.warm();
        const started = performance.now();
        const facts = await lookupPeer(connectionEnds(socket), { pid: true, timeoutMs: LOOKUP_TIMEOUT_MS, candidates });
        const peer = { pid: facts.pid, chain: await parentChain(facts.pid, table, Date.now() + LOOKUP_TIMEOUT_MS) };
        await r[0].prepare(peer, Date.now() + LOOKUP_TIMEOUT_MS, undefined);
        times.push(performance.now() - started);
        decision = decide([...r, ...DEFAULT_RULES], { peer, ide: undefined, focus: { frontNow: () => undefined, lastProjectInFront: () => undefined } });
      }
      return { times, decision };
    };
    const known1 = await folderCost(fromProject, inProject.pid, true);
    const knownWarm = await folderCost(fromProject, inProject.pid, false);
    const gitRoot = await folderCost(fromChild, other.pid, true);
    // A command-line agent is no IDE's child: no candidate PID, the scan of /proc/*/fd finds it
    // (newest processes first, and an agent is a young one).
    const agent = await folderCost(fromProject, inProject.pid, true, []);
    console.log(`  process + chain + working folder, in one of 500 registered projects   ${stats(known1.times)}  (${known1.decision.rule})`);
    console.log(`  the same, the folder's answer reused (another connection within 2 s) ${stats(knownWarm.times)}  (${knownWarm.decision.rule})`);
    console.log(`  process + chain + working folder, in an unregistered git work tree   ${stats(gitRoot.times)}  (${gitRoot.decision.rule})`);
    console.log(`  a new agent, no candidate PID: scan + chain + working folder         ${stats(agent.times)}  (${agent.decision.rule})`);

    // Per request on a connection whose facts are known: the rule chain only, no I/O.
    const folders = new FolderProjects({ known: () => known });
    const rules = [...folderRules({ folders, cwds }), ...DEFAULT_RULES];
    const peer = { pid: inProject.pid, chain: await parentChain(inProject.pid, table, Date.now() + LOOKUP_TIMEOUT_MS) };
    await rules[0].prepare(peer, Date.now() + LOOKUP_TIMEOUT_MS, undefined);
    const context = { peer, ide: undefined, focus: { frontNow: () => undefined, lastProjectInFront: () => undefined } };
    const CALLS = 200_000;
    const started = performance.now();
    for (let i = 0; i < CALLS; i += 1) decide(rules, context);
    const perCallUs = ((performance.now() - started) * 1000) / CALLS;
    console.log(`  keep-alive request on a known connection: the rule chain only, ${perCallUs.toFixed(3)} µs per request (no lookup, no I/O)`);
    own.destroy();
    for (const socket of accepted) socket.destroy();
    server.close();
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv.includes('--role=hold-sockets')) await holdSockets();
else if (process.argv[1] === SELF) await benchPeerLookup();
