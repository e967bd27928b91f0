// One spelling for a TCP endpoint's address, whatever reported it: Node ('127.0.0.1', '::1',
// '::ffff:127.0.0.1'), Linux's /proc/net/tcp{,6} (hex words in host byte order), lsof or netstat.
// An IPv4 address carried in IPv6 (a dual-stack listener) is the IPv4 address it carries.
import { endianness } from 'node:os';

export interface TcpEndpoint {
  address: string;
  port: number;
}

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

/** `v4:7f000001` or `v6:<32 hex>`; undefined for text that is not an IP address. */
export function addressKey(address: string): string | undefined {
  const text = address.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  const v4 = ipv4Hex(text);
  if (v4 !== undefined) return `v4:${v4}`;
  const v6 = ipv6Hex(text);
  if (v6 === undefined) return undefined;
  return v6.startsWith('00000000000000000000ffff') ? `v4:${v6.slice(24)}` : `v6:${v6}`;
}

function ipv4Hex(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let hex = '';
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    hex += Number(part).toString(16).padStart(2, '0');
  }
  return hex;
}

function ipv6Hex(text: string): string | undefined {
  if (!text.includes(':')) return undefined;
  let groups: string[];
  // A trailing dotted IPv4 part (::ffff:127.0.0.1) is two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let head = text;
  const tailV4 = tail.includes('.') ? ipv4Hex(tail) : undefined;
  if (tail.includes('.')) {
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}${tailV4.slice(0, 4)}:${tailV4.slice(4)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  } else {
    groups = left;
  }
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.padStart(4, '0')).join('');
}

/**
 * The key of an address as /proc/net/tcp{,6} prints it: 8 or 32 hex digits, each 32-bit word in
 * the host's byte order (so 127.0.0.1 is 0100007F on x86).
 */
export function procAddressKey(hex: string, littleEndian = HOST_LITTLE_ENDIAN): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return undefined;
  let bytes = '';
  for (let word = 0; word < hex.length; word += 8) {
    const text = hex.slice(word, word + 8).toLowerCase();
    bytes += littleEndian ? (text.match(/../g) as string[]).reverse().join('') : text;
  }
  if (bytes.length === 8) return `v4:${bytes}`;
  return bytes.startsWith('00000000000000000000ffff') ? `v4:${bytes.slice(24)}` : `v6:${bytes}`;
}

/** `host:port` or `[v6]:port` as lsof and netstat print an endpoint. */
export function parseEndpointText(text: string): TcpEndpoint | undefined {
  const match = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port > 65535 || addressKey(match[1] as string) === undefined) return undefined;
  return { address: match[1] as string, port };
}

export function sameEndpoint(a: TcpEndpoint, b: TcpEndpoint): boolean {
  if (a.port !== b.port) return false;
  const key = addressKey(a.address);
  return key !== undefined && key === addressKey(b.address);
}
