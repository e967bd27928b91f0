// Finds the usage in what the capture kept of a response body: a whole JSON answer, or the first and
// last bytes of an event stream. Pure functions over text, run once per exchange after it ended.
import { isObject, tokenUsage } from './usage-object';
import type { TokenUsage } from './usage-facts';

export interface BodyUsage {
  usage?: TokenUsage;
  /** The model the answer names. */
  model?: string;
  /** Why there is no usage, when there is none. */
  note?: string;
}

const MAX_MODEL_CHARS = 200;

function modelName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(/\p{Cc}+/gu, ' ').trim().slice(0, MAX_MODEL_CHARS);
  return clean || undefined;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON answer: chat/completions, embeddings, Responses or Anthropic messages. */
export function usageFromJson(text: string): BodyUsage {
  const body = parse(text);
  if (!isObject(body)) return { note: 'the answer is not a JSON object' };
  const usage = tokenUsage(body.usage);
  const model = modelName(body.model);
  const out: BodyUsage = {};
  if (usage) out.usage = usage;
  else out.note = 'the answer carries no usage';
  if (model) out.model = model;
  return out;
}

/** The data of each complete event in `text`, in order; `cutAtStart`: the first one may be a fragment. */
export function eventData(text: string, cutAtStart: boolean): string[] {
  const events = text.replace(/\r\n?/g, '\n').split('\n\n');
  // The last piece has no blank line after it yet: the stream was cut, or it is all there is.
  const complete = events.length > 1 ? events.slice(0, -1) : [];
  const last = events.at(-1) ?? '';
  if (last.trim() !== '') complete.push(last); // a final event without its blank line is still whole if it parses
  if (cutAtStart) complete.shift();
  const out: string[] = [];
  for (const event of complete) {
    let data = '';
    let has = false;
    for (const line of event.split('\n')) {
      if (!line.startsWith('data:')) continue;
      const value = line.slice(line.charCodeAt(5) === 0x20 ? 6 : 5);
      data = has ? `${data}\n${value}` : value;
      has = true;
    }
    if (has && data !== '[DONE]') out.push(data);
  }
  return out;
}

/**
 * The object that follows the last `"key":` in `text` that stands outside a JSON string, parsed;
 * for an event too large to keep whole (a Responses `response.completed` repeats the whole output,
 * its usage comes last).
 */
export function lastObjectAfterKey(text: string, key: string): Record<string, unknown> | undefined {
  const needle = `"${key}":`;
  let at = text.lastIndexOf(needle);
  while (at > 0 && text.charCodeAt(at - 1) === 0x5c) at = text.lastIndexOf(needle, at - 1); // \"usage\": inside a string
  if (at < 0) return undefined;
  let i = at + needle.length;
  while (text.charCodeAt(i) === 0x20) i += 1;
  if (text[i] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (inString) {
      if (c === 0x5c) j += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b) {
      depth += 1;
    } else if (c === 0x7d) {
      depth -= 1;
      if (depth === 0) {
        const object = parse(text.slice(i, j + 1));
        return isObject(object) ? object : undefined;
      }
    }
  }
  return undefined;
}

/** What the events of a stream say, latest last: the usage-carrying ones of the three formats. */
class StreamReading {
  chatUsage: unknown;
  responsesUsage: unknown;
  anthropicStart: Record<string, unknown> | undefined;
  anthropicDelta: Record<string, unknown> | undefined;
  model: string | undefined;

  read(data: string): void {
    const event = parse(data);
    if (!isObject(event)) return;
    const type = event.type;
    if (type === 'message_start' && isObject(event.message)) {
      if (isObject(event.message.usage)) this.anthropicStart = event.message.usage;
      this.model = modelName(event.message.model) ?? this.model;
      return;
    }
    if (type === 'message_delta') {
      if (isObject(event.usage)) this.anthropicDelta = { ...this.anthropicDelta, ...event.usage };
      return;
    }
    if (typeof type === 'string' && type.startsWith('response.') && isObject(event.response)) {
      // response.completed, and the usage an incomplete or failed response still reports.
      if (isObject(event.response.usage)) this.responsesUsage = event.response.usage;
      this.model = modelName(event.response.model) ?? this.model;
      return;
    }
    if (isObject(event.usage)) this.chatUsage = event.usage;
    this.model = modelName(event.model) ?? this.model;
  }

  usage(): TokenUsage | undefined {
    if (this.anthropicStart !== undefined || this.anthropicDelta !== undefined) {
      // message_start has the input side; message_delta the final output (and, lately, the input again).
      const usage = tokenUsage({ ...this.anthropicStart, ...this.anthropicDelta });
      // LiteLLM's streamed cost prices message_delta's usage alone. Without the input tokens in that
      // event (Anthropic's older shape, still sent by some compatible providers) the figure covers the
      // output only, not what LiteLLM logs for the request: leave it, so the row is estimated instead.
      if (usage?.cost !== undefined && this.anthropicDelta?.input_tokens === undefined) delete usage.cost;
      return usage;
    }
    return tokenUsage(this.responsesUsage) ?? tokenUsage(this.chatUsage);
  }
}

/**
 * An event stream, from its first bytes (`head`) and its last ones (`tail`; `tailCut` when bytes
 * between them were not kept). Anthropic's input tokens are in the first event, everything else in
 * the last ones.
 */
export function usageFromEventStream(head: string, tail: string, tailCut: boolean): BodyUsage {
  const reading = new StreamReading();
  const tailEvents = eventData(tail, tailCut);
  if (tailCut) for (const data of eventData(head, false)) if (data.includes('"message_start"')) reading.read(data);
  for (const data of tailEvents) reading.read(data);
  let usage = reading.usage();
  if (usage === undefined && tailCut) {
    // The usage-carrying event is larger than the tail: its usage object still is whole at the end.
    usage = tokenUsage(lastObjectAfterKey(tail, 'usage'));
  }
  const out: BodyUsage = {};
  if (usage) out.usage = usage;
  else out.note = 'the stream carried no usage (ask for it with stream_options.include_usage, or it was cut off)';
  if (reading.model) out.model = reading.model;
  return out;
}
