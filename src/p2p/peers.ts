import type { PeerClient, PeerEndpoint } from './client.js'

// The peers this daemon knows: found by mDNS (or configured by tests), kept alive by our own Hello checks —
// mDNS never reports a crashed peer — and those that called us (for `p2p list`).

export interface PeerState extends PeerEndpoint {
  instance?: string
  /** 'mdns' for discovered peers we can ask; 'inbound' for peers only known because they called us. */
  source: 'mdns' | 'static' | 'inbound'
  client?: PeerClient
  alive: boolean
  lastSeen?: number
  latencyMs?: number
  /** What the peer's consent says about us (from its last Hello): only 'approved' peers are asked. */
  theirConsent?: string
  consecutiveFailures: number
  failures: number
  bytesDownloaded: number
  bytesUploaded: number
  /** Entries this peer served us whose bytes passed verification: its hits ("top teammates" in `fabrik stats`). */
  hits: number
  lastError?: string
}

/** Peers that failed this many times in a row are skipped until a Hello succeeds again. */
export const MAX_CONSECUTIVE_FAILURES = 3

export class PeerTable {
  private readonly peers = new Map<string, PeerState>()

  get(machineId: string): PeerState | undefined {
    return this.peers.get(machineId)
  }

  list(): PeerState[] {
    return [...this.peers.values()]
  }

  /** Adds or updates a discovered peer; a changed address, port or key makes a new client. */
  upsert(endpoint: PeerEndpoint & { instance?: string; source: 'mdns' | 'static' }, makeClient: (e: PeerEndpoint) => PeerClient): PeerState {
    const existing = this.peers.get(endpoint.machineId)
    if (existing && existing.source !== 'inbound' && existing.address === endpoint.address && existing.port === endpoint.port && existing.fingerprint === endpoint.fingerprint) {
      existing.instance = endpoint.instance ?? existing.instance
      return existing
    }
    existing?.client?.close()
    const state: PeerState = {
      bytesDownloaded: 0,
      bytesUploaded: 0,
      hits: 0,
      failures: 0,
      ...existing,
      ...endpoint,
      client: makeClient(endpoint),
      alive: false,
      consecutiveFailures: 0,
    }
    this.peers.set(endpoint.machineId, state)
    return state
  }

  /** A peer that called us: recorded for `p2p list`, never dialled unless discovered. */
  inbound(machineId: string, fingerprint: string, address: string, bytesUploaded: number, hostname?: string): void {
    const p = this.peers.get(machineId)
    if (p) {
      if (p.source === 'inbound' && hostname) p.hostname = hostname
      p.lastSeen = Date.now()
      p.bytesUploaded += bytesUploaded
      return
    }
    this.peers.set(machineId, { machineId, fingerprint, address, port: 0, hostname: hostname ?? address, source: 'inbound', alive: true, lastSeen: Date.now(), consecutiveFailures: 0, failures: 0, bytesDownloaded: 0, bytesUploaded, hits: 0 })
  }

  remove(machineId: string): void {
    const p = this.peers.get(machineId)
    p?.client?.close()
    this.peers.delete(machineId)
  }

  removeInstance(instance: string): void {
    for (const p of this.peers.values()) if (p.instance === instance) this.remove(p.machineId)
  }

  /** Live peers that approved us and are not failing, at most `max`, fastest first. */
  usable(max: number): PeerState[] {
    return this.list()
      .filter((p) => p.client && p.alive && p.theirConsent === 'approved' && p.consecutiveFailures < MAX_CONSECUTIVE_FAILURES)
      .sort((a, b) => (a.latencyMs ?? 1e9) - (b.latencyMs ?? 1e9))
      .slice(0, max)
  }

  failed(p: PeerState, reason: string): void {
    p.failures++
    p.consecutiveFailures++
    p.lastError = reason
    if (p.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) p.alive = false
  }

  succeeded(p: PeerState): void {
    p.consecutiveFailures = 0
    p.lastSeen = Date.now()
  }

  close(): void {
    for (const p of this.peers.values()) p.client?.close()
    this.peers.clear()
  }
}
