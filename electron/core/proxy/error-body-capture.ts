// The first few KiB of an error answer's body, kept so the exchange can tell, once it has ended,
// whether LiteLLM refused the request for a reason our headers can cause (core/litellm/
// upstream-problem.ts). Only JSON error bodies (status >= 400, no content coding) are kept, and only
// after their bytes were written to the client: recognising them never delays a byte.
import { HeadKeeper } from '../ledger/byte-keepers';
import { isJson } from './message-traits';

/** LiteLLM's error bodies are a few hundred bytes; anything longer is cut here. */
export const ERROR_BODY_CAPTURE_BYTES = 4096;

export class ErrorBodyCapture {
  private readonly kept = new HeadKeeper(ERROR_BODY_CAPTURE_BYTES);

  private constructor(readonly status: number) {}

  /** A capture for a response worth recognising, or undefined (nearly every response). */
  static forResponse(status: number, contentType: string | undefined, contentEncoding: string | undefined): ErrorBodyCapture | undefined {
    return status >= 400 && contentEncoding === undefined && isJson(contentType) ? new ErrorBodyCapture(status) : undefined;
  }

  /** Copies body bytes [start, end) of `buffer` (a read buffer that is reused), up to the limit. */
  add(buffer: Buffer, start: number, end: number): void {
    this.kept.feed(buffer, start, end);
  }

  text(): string {
    return this.kept.bytes().toString('utf8');
  }
}
