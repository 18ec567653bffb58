import { FabrikError } from '../errors/registry.js'
import type { ConsentPolicy } from './consent.js'
import type { Decision } from './consent-store.js'
import type { P2PIdentity } from './identity.js'
import type { PeerTable } from './peers.js'

// What the CLI sees of the running P2P stack (through control-routes.ts): one stack per daemon, never a second
// one started by the CLI (upstream's `p2p list` did that).

export interface PeerView {
  machine_id: string
  hostname: string
  address: string
  port: number
  fingerprint: string
  source: string
  alive: boolean
  /** Our decision about this peer: approved, denied, pending or unknown (what auto-approve/disabled imply). */
  consent: string
  permanent: boolean
  /** The peer's decision about us, from its last Hello. */
  their_consent: string | null
  last_seen: string | null
  latency_ms: number | null
  bytes_downloaded: number
  bytes_uploaded: number
  /** Entries this peer served us, verified. */
  hits: number
  failures: number
  last_error: string | null
}

export interface P2PStatus {
  enabled: true
  machine_id: string
  hostname: string
  fingerprint: string
  instance: string | null
  addresses: string[]
  port: number
  consent_mode: string
  peers: number
  live_peers: number
  pending: number
}

export interface P2PControl {
  status(): P2PStatus
  list(): PeerView[]
  decide(peer: string, decision: Decision, permanent: boolean): { machine_id: string; decision: Decision; permanent: boolean }
  clear(): { cleared: true }
}

export function createControl(o: { identity: P2PIdentity; peers: PeerTable; consent: ConsentPolicy; addresses: string[]; port: number; instance: () => string | null }): P2PControl {
  const views = (): PeerView[] => {
    const decisions = o.consent.decisions()
    const pending = new Map(o.consent.pendingPeers().map((p) => [p.machineId, p]))
    const ids = new Set([...o.peers.list().map((p) => p.machineId), ...pending.keys(), ...Object.keys(decisions)])
    return [...ids].map((id) => {
      const p = o.peers.get(id)
      const d = decisions[id]
      const q = pending.get(id)
      return {
        machine_id: id,
        hostname: p?.hostname ?? q?.hostname ?? d?.hostname ?? '',
        address: p?.address ?? q?.address ?? '',
        port: p?.port ?? 0,
        fingerprint: p?.fingerprint ?? q?.fingerprint ?? d?.fingerprint ?? '',
        source: p?.source ?? (q ? 'inbound' : 'saved'),
        alive: p?.alive ?? false,
        consent: d?.decision ?? (q ? 'pending' : 'unknown'),
        permanent: d?.permanent ?? false,
        their_consent: p?.theirConsent ?? null,
        last_seen: p?.lastSeen ? new Date(p.lastSeen).toISOString() : null,
        latency_ms: p?.latencyMs !== undefined ? Math.round(p.latencyMs * 100) / 100 : null,
        bytes_downloaded: p?.bytesDownloaded ?? 0,
        bytes_uploaded: p?.bytesUploaded ?? 0,
        hits: p?.hits ?? 0,
        failures: p?.failures ?? 0,
        last_error: p?.lastError ?? null,
      }
    })
  }
  return {
    status: () => {
      const list = o.peers.list()
      return {
        enabled: true,
        machine_id: o.identity.machineId,
        hostname: o.identity.hostname,
        fingerprint: o.identity.fingerprint,
        instance: o.instance(),
        addresses: o.addresses,
        port: o.port,
        consent_mode: o.consent.consentMode,
        peers: list.length,
        live_peers: list.filter((p) => p.alive).length,
        pending: o.consent.pendingPeers().length,
      }
    },
    list: views,
    decide(peer, decision, permanent) {
      const all = views()
      // A machine id, a hostname, or a unique prefix of either or of the fingerprint.
      const exact = all.filter((v) => v.machine_id === peer || v.hostname === peer)
      const matches = exact.length > 0 ? exact : all.filter((v) => v.machine_id.startsWith(peer) || (v.hostname && v.hostname.startsWith(peer)) || (peer.length >= 8 && v.fingerprint.startsWith(peer)))
      if (matches.length > 1) throw new FabrikError('USAGE', `"${peer}" matches ${matches.length} peers (${matches.map((m) => m.machine_id).join(', ')}); use the machine id`)
      const v = matches[0]
      // An unseen machine id is accepted: its key is pinned on first contact.
      const machineId = v?.machine_id ?? peer
      o.consent.decide(machineId, decision, permanent, v ? { fingerprint: v.fingerprint || undefined, hostname: v.hostname || undefined } : undefined)
      return { machine_id: machineId, decision, permanent: permanent || decision === 'denied' }
    },
    clear() {
      o.consent.clear()
      return { cleared: true }
    },
  }
}
