// Finds where a message body ends while its bytes stream past unchanged: Content-Length counting or
// chunked framing (RFC 9112 §7.1), scanned byte by byte but never copied or re-framed, so what the
// next hop receives is exactly what was sent. Payload ranges are reported for counting and sniffing.

export class BodyFramingError extends Error {
  constructor(
    message: string,
    /** Index in the scanned buffer of the first byte that broke the framing: the bytes before it were valid. */
    readonly at: number,
  ) {
    super(message);
  }
}

/** Chunk-size lines with more hex digits than this are refused (sizes stay below 2^52). */
const MAX_SIZE_DIGITS = 13;
/** Chunk extensions and trailer fields together, at most. */
const MAX_METADATA_BYTES = 16 * 1024;

const CR = 0x0d;
const LF = 0x0a;

const enum State {
  Size,
  /** Whitespace after the size: only more of it, or ';' and an extension, may follow. */
  SizeSpace,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  TrailerLf,
  FinalLf,
  Done,
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

export type PayloadSink = (buffer: Buffer, start: number, end: number) => void;

export interface MessageBody {
  /** Consumes `buffer[start..]`; returns the index just past the body's end, or -1 when it goes on. */
  scan(buffer: Buffer, start: number, onPayload: PayloadSink): number;
  readonly done: boolean;
  /** Between two chunks (or before any): a chunk of our own can be inserted here. */
  readonly atChunkBoundary: boolean;
}

/** A body of known length. */
export class LengthBody implements MessageBody {
  private remaining: number;

  constructor(length: number) {
    this.remaining = length;
  }

  get done(): boolean {
    return this.remaining === 0;
  }

  get atChunkBoundary(): boolean {
    return false;
  }

  scan(buffer: Buffer, start: number, onPayload: PayloadSink): number {
    const take = Math.min(this.remaining, buffer.length - start);
    if (take > 0) onPayload(buffer, start, start + take);
    this.remaining -= take;
    return this.remaining === 0 ? start + take : -1;
  }
}

/** A chunked body: sizes, extensions, data and trailers pass as they are. */
export class ChunkedBody implements MessageBody {
  private state = State.Size;
  private size = 0;
  private digits = 0;
  private metadataBytes = 0;

  get done(): boolean {
    return this.state === State.Done;
  }

  get atChunkBoundary(): boolean {
    return this.state === State.Size && this.digits === 0;
  }

  scan(buffer: Buffer, start: number, onPayload: PayloadSink): number {
    let i = start;
    const end = buffer.length;
    while (i < end) {
      if (this.state === State.Data) {
        const take = Math.min(this.size, end - i);
        onPayload(buffer, i, i + take);
        this.size -= take;
        i += take;
        if (this.size === 0) this.state = State.DataCr;
        continue;
      }
      const error = this.step(buffer[i] as number);
      if (error !== undefined) throw new BodyFramingError(error, i);
      i += 1;
      if (this.state === State.Done) return i;
    }
    return -1;
  }

  /** Advances by one byte; returns what is wrong when the byte breaks the framing. */
  private step(byte: number): string | undefined {
    switch (this.state) {
      case State.Size: {
        const value = hexValue(byte);
        if (value >= 0) {
          if (++this.digits > MAX_SIZE_DIGITS) return 'chunk size too large';
          this.size = this.size * 16 + value;
        } else if (this.digits > 0 && byte === 0x3b) {
          this.state = State.Extension;
        } else if (this.digits > 0 && (byte === 0x20 || byte === 0x09)) {
          this.state = State.SizeSpace;
        } else if (this.digits > 0 && byte === CR) {
          this.state = State.SizeLf;
        } else {
          return 'malformed chunk size';
        }
        return undefined;
      }
      case State.SizeSpace:
        if (byte === 0x3b) this.state = State.Extension;
        else if ((byte !== 0x20 && byte !== 0x09) || ++this.metadataBytes > MAX_METADATA_BYTES) return 'malformed chunk size';
        return undefined;
      case State.Extension:
        if (byte === CR) this.state = State.SizeLf;
        else if (byte === LF || ++this.metadataBytes > MAX_METADATA_BYTES) return 'malformed chunk extension';
        return undefined;
      case State.SizeLf:
        if (byte !== LF) return 'malformed chunk size line';
        this.digits = 0;
        this.state = this.size === 0 ? State.TrailerStart : State.Data;
        return undefined;
      case State.DataCr:
        if (byte !== CR) return 'chunk longer than its size';
        this.state = State.DataLf;
        return undefined;
      case State.DataLf:
        if (byte !== LF) return 'chunk longer than its size';
        this.state = State.Size;
        return undefined;
      case State.TrailerStart:
        if (byte === CR) {
          this.state = State.FinalLf;
          return undefined;
        }
        if (byte === LF || ++this.metadataBytes > MAX_METADATA_BYTES) return 'malformed trailer';
        this.state = State.Trailer;
        return undefined;
      case State.Trailer:
        if (byte === CR) this.state = State.TrailerLf;
        else if (byte === LF || ++this.metadataBytes > MAX_METADATA_BYTES) return 'malformed trailer';
        return undefined;
      case State.TrailerLf:
        if (byte !== LF) return 'malformed trailer';
        this.state = State.TrailerStart;
        return undefined;
      case State.FinalLf:
        if (byte !== LF) return 'malformed end of chunked body';
        this.state = State.Done;
        return undefined;
      default:
        return 'data after the end of the body';
    }
  }
}

/** How a message's body is framed (RFC 9112 §6.3); 'close': it runs until the connection closes (responses only). */
export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

// Shared by every head that has them: no allocation per message, and one shape for V8.
export const NO_BODY = Object.freeze({ kind: 'none' } as const);
export const CHUNKED_BODY = Object.freeze({ kind: 'chunked' } as const);
export const BODY_UNTIL_CLOSE = Object.freeze({ kind: 'close' } as const);

/** The scanner for a message's body, or undefined when it has none to scan (none, or up to the close). */
export function bodyScanner(body: BodyFraming): MessageBody | undefined {
  if (body.kind === 'length') return new LengthBody(body.length);
  return body.kind === 'chunked' ? new ChunkedBody() : undefined;
}

/** One chunk of a chunked body, framed: for the proxy's own last event of a broken stream. */
export function frameChunk(text: string): Buffer {
  const data = Buffer.from(text);
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), data, Buffer.from('\r\n')]);
}

/** The last chunk, ending a chunked body with no trailers. */
export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
