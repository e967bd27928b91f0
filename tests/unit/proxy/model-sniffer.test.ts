import { describe, expect, it } from 'vitest';
import { ModelSniffer, SNIFF_LIMIT_BYTES } from '../../../electron/core/proxy/model-sniffer';

function sniff(text: string | Buffer, splitAt?: number): string | undefined {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const sniffer = new ModelSniffer();
  if (splitAt === undefined) sniffer.feed(bytes);
  else {
    sniffer.feed(bytes.subarray(0, splitAt));
    sniffer.feed(bytes.subarray(splitAt));
  }
  return sniffer.model;
}

describe('ModelSniffer', () => {
  it('finds the top-level model wherever it is', () => {
    expect(sniff('{"model":"gpt-4o","messages":[]}')).toBe('gpt-4o');
    expect(sniff('{"messages":[{"role":"user","content":"hi"}],\n  "model" : "claude-3"}')).toBe('claude-3');
  });

  it('ignores "model" inside nested objects, arrays and strings', () => {
    const body = JSON.stringify({
      tools: [{ function: { parameters: { properties: { model: { type: 'string' } } } } }],
      messages: [{ role: 'user', content: '{"model": "fake"} and \\"model\\": \\"x\\"' }],
      metadata: { model: 'nested' },
      model: 'real-one',
    });
    expect(sniff(body)).toBe('real-one');
  });

  it('finds it across any chunk boundary', () => {
    const body = '{"messages":[{"content":"a\\"b"}],"model":"m\\u00e9-1"}';
    for (let i = 0; i <= body.length; i += 1) expect(sniff(body, i), `split at ${i}`).toBe('mé-1');
  });

  it('skips escaped quotes and backslash runs in long strings, wherever a chunk ends', () => {
    const content = 'a\\"b\\\\' + '"\\\\\\"' + 'x'.repeat(50) + '\\';
    const body = JSON.stringify({ messages: [{ role: 'user', content }, { content: '"model": "fake"' }], model: 'real' });
    for (let i = 0; i <= body.length; i += 1) expect(sniff(body, i), `split at ${i}`).toBe('real');
  });

  it('agrees with JSON.parse on generated bodies split at random places', () => {
    // Deterministic: a fixed-seed generator over the characters that matter to the scanner.
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = ['\\', '"', 'a', '{', '}', '[', ']', ',', ':', 'model', ' ', 'é'];
    for (let n = 0; n < 300; n += 1) {
      const text = Array.from({ length: Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const model = `m-${n}`;
      const body = Buffer.from(JSON.stringify(random() < 0.5 ? { messages: [{ content: text }], model } : { model, tools: [{ text }] }));
      const sniffer = new ModelSniffer();
      let offset = 0;
      while (offset < body.length) {
        const size = 1 + Math.floor(random() * 8);
        sniffer.feed(body.subarray(offset, offset + size));
        offset += size;
      }
      expect(sniffer.model, body.toString()).toBe((JSON.parse(body.toString()) as { model: string }).model);
    }
  });

  it('decodes UTF-8 model names', () => {
    expect(sniff('{"model":"modèle-🚀"}')).toBe('modèle-🚀');
  });

  it('answers nothing for non-objects, non-string models or no model', () => {
    expect(sniff('[{"model":"x"}]')).toBeUndefined();
    expect(sniff('{"model":42}')).toBeUndefined();
    expect(sniff('{"model":null,"x":"model"}')).toBeUndefined();
    expect(sniff('{"messages":[]}')).toBeUndefined();
    expect(sniff('not json')).toBeUndefined();
  });

  it('strips control characters and bounds the length', () => {
    expect(sniff('{"model":"a\\nb"}')).toBe('a b');
    expect(sniff(`{"model":"${'x'.repeat(1000)}"}`)?.length).toBe(200);
    expect(sniff(`{"model":"${'x'.repeat(240)}"}`)?.length).toBe(200);
  });

  it('reads keys with escapes as JSON does, and only the exact key "model"', () => {
    expect(sniff('{"mod\\u0065l":"escaped-key"}')).toBe('escaped-key');
    expect(sniff('{"models":"no","Model":"no","model ":"no"}')).toBeUndefined();
    for (let i = 0; i <= 22; i += 1) expect(sniff('{"mod\\u0065l":"split"}', i), `split at ${i}`).toBe('split');
  });

  it('trims plain names and cleans any with controls, DEL and C1 ones included', () => {
    expect(sniff('{"model":"  gpt-4o  "}')).toBe('gpt-4o');
    expect(sniff('{"model":"   "}')).toBeUndefined();
    expect(sniff('{"model":"a\x7fb"}')).toBe('a b');
    expect(sniff('{"model":"a\u0085b"}')).toBe('a b');
  });

  it('stops after the sniff limit', () => {
    const sniffer = new ModelSniffer();
    const filler = Buffer.from(`{"messages":"${'x'.repeat(SNIFF_LIMIT_BYTES)}`);
    expect(sniffer.feed(filler)).toBe(true);
    sniffer.feed(Buffer.from('","model":"late"}'));
    expect(sniffer.model).toBeUndefined();
  });
});
