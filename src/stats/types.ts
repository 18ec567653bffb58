// The figures `fabrik stats`, `fabrik health` and the dashboard show. One row per hour and dimension: a tool as
// its clients saw it (layer ""), or a slower layer (tool ""), or a teammate's machine (layer "p2p", peer set).
// Depends on nothing but plain values, so the CLI can read the stats file without the daemon's modules.

export const HOUR_MS = 3_600_000

export interface Counts {
  requests: number
  hits: number
  misses: number
  errors: number
  /** Bytes received (uploads from the client, or fetched from a layer). */
  bytesIn: number
  /** Bytes sent (served to the client, or uploaded to a layer). */
  bytesOut: number
  /** Build time the hits saved, where the tool says. */
  savedMs: number
}

export interface Row extends Counts {
  /** Hours since the epoch (UTC). */
  hour: number
  tool: string
  layer: string
  peer: string
}

export function zeroCounts(): Counts {
  return { requests: 0, hits: 0, misses: 0, errors: 0, bytesIn: 0, bytesOut: 0, savedMs: 0 }
}

export function addCounts(into: Counts, from: Counts): void {
  into.requests += from.requests
  into.hits += from.hits
  into.misses += from.misses
  into.errors += from.errors
  into.bytesIn += from.bytesIn
  into.bytesOut += from.bytesOut
  into.savedMs += from.savedMs
}

/** A peer shown on the dashboard (the P2P layer provides them; none without P2P). */
export interface PeerView {
  id: string
  name: string
  address?: string
  /** "pending" waits for the user's Approve/Deny. */
  consent: 'pending' | 'approved' | 'denied' | string
}

/** Where the dashboard reads peers and sends the Approve/Deny presses. */
export interface PeersProvider {
  list(): PeerView[] | Promise<PeerView[]>
  decide(id: string, decision: 'approve' | 'deny'): Promise<void>
}

/** Without P2P: no peers, and nothing to decide. */
export const NO_PEERS: PeersProvider = {
  list: () => [],
  decide: async (id) => {
    throw Object.assign(new Error(`no peer ${id}: P2P is not running`), { statusCode: 404 })
  },
}
