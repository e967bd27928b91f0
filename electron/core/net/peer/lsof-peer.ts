// macOS (and other Unixes without /proc): which process has the client end of a loopback
// connection, from lsof's field output. lsof lists both ends of the connection when asked for the
// client's endpoint; the client's entry is the one whose name starts with that endpoint.
import { parseEndpointText, sameEndpoint, type TcpEndpoint } from './tcp-address';

/** The arguments: TCP sockets with an end at the client's endpoint, PIDs and names as fields. */
export function lsofPeerArgs(client: TcpEndpoint): string[] {
  const host = client.address.includes(':') ? `[${client.address}]` : client.address;
  return ['-nP', `-iTCP@${host}:${client.port}`, '-Fpn'];
}

/**
 * From `lsof -F pn` output (`p<pid>` starts a process, `n<local>-><remote>` names a socket), the
 * PID whose socket's local end is `client` and remote end is `server`.
 */
export function parseLsofPeer(output: string, client: TcpEndpoint, server: TcpEndpoint): number | undefined {
  let pid: number | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith('p')) {
      const value = Number(line.slice(1));
      pid = Number.isInteger(value) && value > 0 ? value : undefined;
    } else if (line.startsWith('n') && pid !== undefined) {
      const [local, remote] = line.slice(1).split('->');
      const localEnd = local === undefined ? undefined : parseEndpointText(local);
      const remoteEnd = remote === undefined ? undefined : parseEndpointText(remote);
      if (localEnd && remoteEnd && sameEndpoint(localEnd, client) && sameEndpoint(remoteEnd, server)) return pid;
    }
  }
  return undefined;
}
