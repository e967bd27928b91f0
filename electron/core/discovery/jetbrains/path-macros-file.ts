// The user's path variables (Settings | Appearance & Behavior | Path Variables), stored in
// options/path.macros.xml as <component name="PathMacrosImpl"><macro name="X" value="…"/></component>.
// Recent-project keys may use them, e.g. "$WORK$/app".
import { childElements, formatXmlError, parseXml } from './settings-xml';

export const PATH_MACROS_FILE = 'path.macros.xml';

export type PathMacrosParse = { ok: true; macros: Map<string, string> } | { ok: false; error: string };

export function parsePathMacrosXml(text: string): PathMacrosParse {
  const parsed = parseXml(text);
  if (!parsed.ok) return { ok: false, error: formatXmlError(parsed.error) };
  const root = parsed.root;
  const components = root.name === 'component' ? [root] : childElements(root, 'component');
  const macros = new Map<string, string>();
  for (const component of components) {
    if (component.attributes.get('name') !== 'PathMacrosImpl') continue;
    for (const macro of childElements(component, 'macro')) {
      const name = macro.attributes.get('name');
      const value = macro.attributes.get('value');
      if (name && value !== undefined && value !== '') macros.set(name, value);
    }
  }
  return { ok: true, macros };
}
