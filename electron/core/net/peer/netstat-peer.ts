// Windows: which process has the client end of a loopback connection, from `netstat -ano -p TCP`
// (Proto, Local Address, Foreign Address, State, PID). The client's row has its endpoint as the
// local address and ours as the foreign one.
import { parseEndpointText, sameEndpoint, type TcpEndpoint } from './tcp-address';

// Without -p: '-p TCP' would leave out IPv6 connections.
export const NETSTAT_PEER_ARGS = ['-ano'];

export function parseNetstatPeer(output: string, client: TcpEndpoint, server: TcpEndpoint): number | undefined {
  for (const line of output.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || !/^TCP/i.test(fields[0] as string)) continue;
    const local = parseEndpointText(fields[1] as string);
    const remote = parseEndpointText(fields[2] as string);
    const pid = Number(fields[fields.length - 1]);
    if (local && remote && Number.isInteger(pid) && pid > 0 && sameEndpoint(local, client) && sameEndpoint(remote, server)) return pid;
  }
  return undefined;
}
