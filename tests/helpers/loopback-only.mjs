// Preloaded into Node-based client CLIs under test (NODE_OPTIONS=--import): every name lookup and
// fetch to anything but this machine fails at once, so a client's update checks and telemetry never
// leave 127.0.0.1 (the Continue CLI checks its version on a hard-coded host with no switch to stop it).
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';

const LOCAL = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function refused(hostname) {
  return Object.assign(new Error(`blocked by the test: ${hostname} is not on this machine`), { code: 'ENOTFOUND', hostname });
}

const lookup = dns.lookup;
dns.lookup = function loopbackLookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  if (!LOCAL.has(hostname)) return process.nextTick(() => done(refused(hostname)));
  return lookup.call(this, hostname, options, callback);
};
const promiseLookup = dns.promises.lookup;
dns.promises.lookup = async (hostname, options) => {
  if (!LOCAL.has(hostname)) throw refused(hostname);
  return promiseLookup(hostname, options);
};

// `import { lookup } from 'node:dns'` in the client sees the patched function too.
syncBuiltinESMExports();

const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (!LOCAL.has(url.hostname)) throw new TypeError(`fetch failed: ${refused(url.hostname).message}`);
  return realFetch(input, init);
};
