// A parsed head's LiteLLM fields as [name, value] pairs, for the ledger to read once an exchange
// ended (the proxy itself reads only the few fields it acts on). Only the fields the ledger wants
// are cut out of the head's text; the rest are skipped by name.
import type { HeadFields } from '../proxy/http1/head-fields';

function wanted(name: string): boolean {
  return name.startsWith('x-litellm-') || name === 'content-encoding';
}

export function* fieldPairs(fields: HeadFields): Generator<[string, string]> {
  const { names } = fields;
  for (let field = 0; field < names.length; field += 1) {
    const name = names[field] as string;
    if (!wanted(name)) continue;
    const line = fields.lines(field, field + 1);
    yield [name, line.slice(line.indexOf(':') + 1).trim()];
  }
}
