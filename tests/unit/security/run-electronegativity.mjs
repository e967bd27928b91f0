// Runs @doyensec/electronegativity over a folder and prints its findings and parse errors as JSON
// (the CLI's CSV leaves out parse errors, and a file it cannot parse is a file it did not check).
// Usage: node run-electronegativity.mjs <folder> <electron version>
// Its CLI and one check fetch data from the internet (translations, Electron releases); tests send no
// traffic off the machine, so `got` is replaced with a function that fails at once, and the tool
// falls back to its bundled texts and skips the release lookup.
import Module, { createRequire } from 'node:module';
import path from 'node:path';

const load = Module._load;
Module._load = function loadWithoutNetwork(request, ...rest) {
  if (request === 'got') return () => Promise.reject(new Error('network disabled in tests'));
  return load.call(this, request, ...rest);
};

const [input, electronVersion] = process.argv.slice(2);
if (!input || !electronVersion) {
  console.error('usage: run-electronegativity.mjs <folder> <electron version>');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');
// Progress and warnings go to stdout; keep stdout for the JSON result.
const log = console.log;
console.log = (...args) => console.error(...args);
const result = await run({
  input: path.resolve(input),
  isRelative: true,
  isVerbose: false,
  customScan: [],
  excludeFromScan: [],
  parserPlugins: [],
  electronVersionOverride: electronVersion,
});
log(
  JSON.stringify({
    errors: result.errors.map((error) => ({ file: path.relative(path.resolve(input), error.file), message: error.message, tolerable: error.tolerable })),
    issues: result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      description: issue.description,
      manualReview: issue.manualReview === true,
    })),
  }),
);
