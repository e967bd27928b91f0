// A parsed head's fields as [name, value] pairs, for the ledger to pick LiteLLM's headers from once
// an exchange ended (the proxy itself reads only the few fields it acts on).
import type { HeadFields } from '../proxy/http1/head-fields';

export function* fieldPairs(fields: HeadFields): Generator<[string, string]> {
  const raw = fields.raw;
  for (let i = 0; i + 1 < raw.length; i += 2) yield [raw[i] as string, raw[i + 1] as string];
}
