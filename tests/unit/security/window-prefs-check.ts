// A static check of every BrowserWindow the main process can create: each `new BrowserWindow(...)`
// must take secureWindowOptions(...) (whose values the test checks at run time) or an object literal
// whose webPreferences literally hold the required values; and no source may switch a protection off
// anywhere (in setWindowOpenHandler overrides, say). Uses the TypeScript parser, not regexes, so
// formatting and comments cannot hide a call.
import ts from 'typescript';

export const FACTORY = 'secureWindowOptions';

/** Each must be present with exactly this literal value in an object-literal BrowserWindow. */
const REQUIRED: Readonly<Record<string, boolean>> = { contextIsolation: true, sandbox: true, nodeIntegration: false };

/** Anywhere in main or preload code, these values are refused outright. */
const FORBIDDEN: ReadonlyArray<[string, boolean]> = [
  ['contextIsolation', false],
  ['sandbox', false],
  ['nodeIntegration', true],
  ['nodeIntegrationInWorker', true],
  ['nodeIntegrationInSubFrames', true],
  ['webSecurity', false],
  ['allowRunningInsecureContent', true],
  ['experimentalFeatures', true],
  ['webviewTag', true],
];

export interface Finding {
  file: string;
  line: number;
  problem: string;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function booleanValue(node: ts.Expression): boolean | undefined {
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

function isBrowserWindowConstructor(node: ts.NewExpression): boolean {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'BrowserWindow';
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'BrowserWindow';
}

function checkLiteralOptions(options: ts.ObjectLiteralExpression, report: (problem: string) => void): void {
  const webPreferences = options.properties.find(
    (property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && propertyName(property.name) === 'webPreferences',
  );
  if (!webPreferences || !ts.isObjectLiteralExpression(webPreferences.initializer)) {
    report('BrowserWindow options have no literal webPreferences object');
    return;
  }
  const values = new Map<string, ts.Expression>();
  for (const property of webPreferences.initializer.properties) {
    if (ts.isSpreadAssignment(property)) report('webPreferences uses a spread; its values cannot be verified');
    else if (ts.isPropertyAssignment(property)) {
      const name = propertyName(property.name);
      if (name) values.set(name, property.initializer);
    } else if (ts.isShorthandPropertyAssignment(property)) report(`webPreferences.${property.name.text} is not a literal value`);
  }
  for (const [name, expected] of Object.entries(REQUIRED)) {
    const value = values.get(name);
    if (!value || booleanValue(value) !== expected) report(`webPreferences.${name} must be ${expected}`);
  }
  const preload = values.get('preload');
  if (preload) report('a preload must come from secureWindowOptions (our bundled preload only)');
}

export interface SourceCheck {
  /** How many `new BrowserWindow(...)` expressions the file holds (comments and strings excluded). */
  windows: number;
  /** What is wrong with the file; empty for a compliant file. */
  findings: Finding[];
}

export function checkWindowSource(fileName: string, text: string): SourceCheck {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  let windows = 0;
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && isBrowserWindowConstructor(node)) {
      windows += 1;
      const report = (problem: string) => findings.push({ file: fileName, line: at(node), problem });
      const [options, ...extra] = node.arguments ?? [];
      if (!options) report('new BrowserWindow() without options uses insecure defaults for nothing: give secureWindowOptions(...)');
      else if (extra.length > 0) report('new BrowserWindow() takes one argument');
      else if (ts.isCallExpression(options) && ts.isIdentifier(options.expression) && options.expression.text === FACTORY) {
        // Checked at run time by the test.
      } else if (ts.isObjectLiteralExpression(options)) checkLiteralOptions(options, report);
      else report(`BrowserWindow options must be ${FACTORY}(...) or an object literal, so they can be verified`);
    }
    if (ts.isPropertyAssignment(node)) {
      const name = propertyName(node.name);
      const value = booleanValue(node.initializer);
      for (const [forbidden, bad] of FORBIDDEN) {
        if (name === forbidden && value === bad) findings.push({ file: fileName, line: at(node), problem: `${forbidden}: ${bad} switches a protection off` });
      }
      if (name === 'enableBlinkFeatures') findings.push({ file: fileName, line: at(node), problem: 'enableBlinkFeatures turns on experimental web features' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { windows, findings };
}

/** The CSP of an HTML page's <meta http-equiv="Content-Security-Policy">, or null when it has none. */
export function metaCsp(html: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const attribute = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
    const equiv = attribute('http-equiv');
    if ((equiv?.[1] ?? equiv?.[2] ?? '').toLowerCase() !== 'content-security-policy') continue;
    const content = attribute('content');
    return content?.[1] ?? content?.[2] ?? '';
  }
  return null;
}

/** What makes a policy not strict: remote or inline script, plugins, missing fallbacks. */
export function cspProblems(policy: string): string[] {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources.map((source) => source.toLowerCase()));
  }
  const problems: string[] = [];
  const fallback = directives.get('default-src');
  if (!fallback) problems.push('no default-src');
  const effective = (name: string) => directives.get(name) ?? fallback ?? [];
  const script = effective('script-src');
  for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", 'data:', 'blob:', '*', 'http:', 'https:', 'file:']) {
    if (script.includes(bad)) problems.push(`script-src allows ${bad}`);
  }
  if (script.length === 0) problems.push('no script-src (and no default-src)');
  const object = effective('object-src');
  if (!(object.length === 1 && object[0] === "'none'")) problems.push("object-src is not 'none'");
  if (!directives.has('base-uri')) problems.push('no base-uri');
  for (const [name, sources] of directives) {
    for (const source of sources) {
      if (source === '*' || /^(https?|wss?|ftp):\/\//.test(source) || /^\*\./.test(source)) problems.push(`${name} allows the remote source ${source}`);
    }
  }
  return problems;
}
