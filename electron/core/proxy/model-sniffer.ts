// Finds the top-level "model" of a JSON request body while it streams past, without buffering it.
// A small byte-level scanner: it tracks nesting and strings, so a "model" key inside a message or
// a tool schema is not mistaken for the request's model, and it does not care where in the object
// the key comes (Python's openai client sends "messages" first).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_CAPTURE_BYTES = 256;
const MAX_MODEL_CHARS = 200;

/** Bytes scanned at most; a request whose model comes later is simply logged without one. */
export const SNIFF_LIMIT_BYTES = 1024 * 1024;

export class ModelSniffer {
  private done = false;
  private started = false;
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private expectKey = false;
  private atValue = false;
  private lastKeyIsModel = false;
  private capture: 'none' | 'key' | 'value' = 'none';
  private readonly captured: number[] = [];
  /** Every byte captured is printable ASCII and none is an escape: the bytes are the string. */
  private capturedPlain = true;
  model: string | undefined;

  get finished(): boolean {
    return this.done;
  }

  /** Feeds the next body chunk; returns true once there is nothing more to learn. */
  feed(chunk: Uint8Array): boolean {
    if (this.done) return true;
    const end = Math.min(chunk.length, SNIFF_LIMIT_BYTES - this.scanned);
    let i = 0;
    while (i < end && !this.done) {
      if (this.inString) {
        i = this.stringByte(chunk, i, end);
        continue;
      }
      this.structuralByte(chunk[i] ?? 0);
      i += 1;
    }
    this.scanned += end;
    if (this.scanned >= SNIFF_LIMIT_BYTES) this.done = true;
    return this.done;
  }

  private stringByte(chunk: Uint8Array, start: number, end: number): number {
    if (this.escaped) {
      this.escaped = false;
      this.keep(chunk[start] ?? 0);
      return start + 1;
    }
    if (this.capture === 'none') return this.skipString(chunk, start, end);
    const byte = chunk[start] ?? 0;
    if (byte === BACKSLASH) {
      this.escaped = true;
      this.keep(byte);
    } else if (byte === QUOTE) {
      this.inString = false;
      this.closeString();
    } else {
      this.keep(byte);
    }
    return start + 1;
  }

  /**
   * Skips string content we do not keep (message texts: most of a request) with a native search
   * for the closing quote instead of a byte-by-byte loop: prompts are large, and sniffing runs on
   * every request. Returns the index of the closing quote, or `end` when the string goes on.
   */
  private skipString(chunk: Uint8Array, start: number, end: number): number {
    let from = start;
    for (;;) {
      const quote = chunk.indexOf(QUOTE, from);
      const stop = quote === -1 || quote >= end ? end : quote;
      // Backslashes right before the stop decide whether that quote (or the next chunk's first byte) is escaped.
      let backslashes = 0;
      while (stop - backslashes - 1 >= from && chunk[stop - backslashes - 1] === BACKSLASH) backslashes += 1;
      if (stop === end) {
        this.escaped = backslashes % 2 === 1;
        return end;
      }
      if (backslashes % 2 === 0) {
        this.inString = false;
        this.closeString();
        return quote + 1;
      }
      from = quote + 1;
    }
  }

  private keep(byte: number): void {
    if (this.capture === 'none' || this.captured.length >= MAX_CAPTURE_BYTES) return;
    this.captured.push(byte);
    if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) this.capturedPlain = false;
  }

  private closeString(): void {
    const { captured } = this;
    if (this.capture === 'key') {
      // Top-level keys are compared as bytes; only one with escapes or non-ASCII needs decoding.
      this.lastKeyIsModel =
        captured.length < MAX_CAPTURE_BYTES && (this.capturedPlain ? isModelKey(captured) : decodeJsonString(captured) === 'model');
      this.expectKey = false;
    } else if (this.capture === 'value') {
      this.model = this.capturedPlain ? plainModelName(captured) : cleanModelName(decodeJsonString(captured));
      this.done = true;
    }
    this.capture = 'none';
    if (captured.length > 0) captured.length = 0;
    this.capturedPlain = true;
    this.atValue = false;
  }

  private structuralByte(byte: number): void {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) return;
    if (!this.started) {
      this.started = true;
      if (byte !== 0x7b /* { */) {
        this.done = true; // not a JSON object
        return;
      }
    }
    switch (byte) {
      case QUOTE:
        this.inString = true;
        if (this.depth === 1 && this.expectKey) this.capture = 'key';
        else if (this.depth === 1 && this.atValue && this.lastKeyIsModel) this.capture = 'value';
        return;
      case 0x7b: // {
      case 0x5b: // [
        this.depth += 1;
        this.expectKey = this.depth === 1;
        this.atValue = false;
        return;
      case 0x7d: // }
      case 0x5d: // ]
        this.depth -= 1;
        if (this.depth <= 0) this.done = true;
        return;
      case 0x3a: // :
        if (this.depth === 1) this.atValue = true;
        return;
      case 0x2c: // ,
        if (this.depth === 1) {
          this.expectKey = true;
          this.atValue = false;
        }
        return;
      default:
        if (this.depth === 1) this.atValue = false; // a number, true, false or null
    }
  }
}

/** The bytes of `model`. */
const MODEL_KEY = [0x6d, 0x6f, 0x64, 0x65, 0x6c];

function isModelKey(bytes: readonly number[]): boolean {
  return bytes.length === MODEL_KEY.length && MODEL_KEY.every((byte, i) => bytes[i] === byte);
}

function decodeJsonString(bytes: number[]): string | undefined {
  try {
    const parsed: unknown = JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`);
    return typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return undefined; // cut off mid-escape by the capture limit
  }
}

/** Model names end up in logs and UIs: no control characters, bounded length. */
function cleanModelName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const clean = name.replace(/\p{Cc}+/gu, ' ').trim().slice(0, MAX_MODEL_CHARS);
  return clean || undefined;
}

/**
 * A name of printable ASCII without escapes (nearly every one): its bytes are its characters and
 * it has no control characters, so neither JSON.parse nor the clean-up expression has to run.
 */
function plainModelName(bytes: readonly number[]): string | undefined {
  const clean = String.fromCharCode(...bytes).trim().slice(0, MAX_MODEL_CHARS);
  return clean || undefined;
}
