// Reads an API call's body, bounded. Not hono's bodyLimit middleware: it rebuilds the request with
// `new Request(c.req.raw, …)`, and with `overrideGlobalObjects: false` (needed inside Electron) the
// raw request is @hono/node-server's lightweight object, which Node's own undici cannot copy
// ("Cannot read properties of undefined (reading 'window')"). Every body without a Content-Length
// took that path — no body at all, or a chunked one, which is what curl and most scripts send —
// and each such call answered 500.

export type BodyResult = { ok: true; text: string } | { ok: false; reason: 'too-large' } | { ok: false; reason: 'not-utf8' };

/** The body as text (empty when there is none), or why it was refused; never reads past maxBytes. */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers.get('content-length');
  if (declared !== null && !request.headers.has('transfer-encoding') && Number(declared) > maxBytes) {
    return { ok: false, reason: 'too-large' };
  }
  const body = request.body;
  if (body === null) return { ok: true, text: '' };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop reading; the rest is left unread and the connection is not reused.
      await reader.cancel().catch(() => undefined);
      return { ok: false, reason: 'too-large' };
    }
    chunks.push(value);
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
}
