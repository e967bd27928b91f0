export { connectionEnds, lookupPeer, type ConnectionEnds, type PeerFacts, type PeerLookupOptions, type TcpEndpoint } from './peer-lookup';
