import type { Readable } from 'node:stream'
import { FabrikError } from '../errors/registry.js'
import { Verifier } from '../layers/verify.js'
import type { Logger } from '../log.js'
import { validateKey, validateNamespace } from '../store/keys.js'
import type { BlobStore, EntryStat, GetOptions, GetResult, PutResult } from '../store/types.js'
import { PeerError } from './client.js'
import type { P2PMetrics } from './metrics.js'
import { isSharedNamespace } from './namespaces.js'
import type { PeerState, PeerTable } from './peers.js'

// The P2P layer of the chain (local → p2p → regional → s3): a read-only BlobStore over the live peers that
// approved us. A lookup asks them all at once, bounded by request_timeout and max_peers; the first peer that has
// the key wins and the other calls are cancelled. Bytes are verified while they stream (verify.ts). A peer that
// fails or sends bad bytes is counted against it (peers.ts skips it after repeated failures). A miss is
// undefined/false; when every asked peer failed, the lookup throws, so the chain logs and counts it.

export interface PeerLayerOptions {
  peers: PeerTable
  metrics: P2PMetrics
  logger: Logger
  requestTimeoutMs: number
  maxPeers: number
  /** Peers this daemon denied are not asked either: their entries are not trusted. */
  trusted: (p: PeerState) => boolean
}

interface Winner {
  peer: PeerState
  info: { size: string; sha256: string; meta: Record<string, string> }
  stream: Readable
}

export class PeerLayer implements BlobStore {
  constructor(private readonly o: PeerLayerOptions) {}

  private candidates(ns: string): PeerState[] {
    if (!isSharedNamespace(ns)) return []
    return this.o.peers.usable(this.o.maxPeers).filter(this.o.trusted)
  }

  private failed(p: PeerState, err: unknown): void {
    const reason = err instanceof PeerError ? err.reason : 'error'
    if (reason === 'aborted') return
    this.o.peers.failed(p, reason)
    this.o.metrics.peerErrors.inc({ reason })
    this.o.logger.debug({ peer: p.machineId, address: p.address, reason, err: (err as Error).message }, 'p2p: peer call failed')
  }

  /** Resolves with the first found result of `ask` over the candidates; undefined when none has it. */
  private async race<T>(peers: PeerState[], ask: (p: PeerState, signal: AbortSignal) => Promise<T | undefined>, outer?: AbortSignal): Promise<{ peer: PeerState; value: T; losers: AbortController[] } | undefined> {
    if (peers.length === 0) return undefined
    const controllers = peers.map(() => new AbortController())
    const onOuter = () => controllers.forEach((c) => c.abort())
    outer?.addEventListener('abort', onOuter, { once: true })
    let failures = 0
    let firstError: unknown
    try {
      return await new Promise((resolve, reject) => {
        let pending = peers.length
        let done = false
        peers.forEach((p, i) => {
          ask(p, controllers[i]!.signal).then(
            (value) => {
              this.o.peers.succeeded(p)
              if (value !== undefined && !done) {
                done = true
                controllers.forEach((c, j) => j !== i && c.abort())
                resolve({ peer: p, value, losers: [] })
              } else if (value !== undefined) {
                // Found too, but lost the race: its stream (if any) is closed by the abort above.
              }
              if (--pending === 0 && !done) resolve(undefined)
            },
            (err) => {
              if (!(done && err instanceof PeerError && err.reason === 'aborted')) this.failed(p, err)
              failures++
              firstError ??= err
              if (--pending === 0 && !done) {
                if (failures === peers.length) reject(new FabrikError('UNAVAILABLE', `no peer answered: ${(firstError as Error).message}`, { cause: firstError }))
                else resolve(undefined)
              }
            },
          )
        })
      })
    } finally {
      outer?.removeEventListener('abort', onOuter)
    }
  }

  async has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.stat(ns, key, signal)) !== undefined
  }

  async stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    validateNamespace(ns)
    validateKey(key)
    const found = await this.race(
      this.candidates(ns),
      async (p, s) => {
        const [info] = await p.client!.exists([{ namespace: ns, key }], this.o.requestTimeoutMs, s)
        return info?.found && (ns !== 'cas' || info.sha256 === key) ? info : undefined
      },
      signal,
    )
    if (!found) return undefined
    const now = Date.now()
    return { size: Number(found.value.size), sha256: found.value.sha256, createdAt: now, accessedAt: now, meta: { ...found.value.meta } }
  }

  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    validateNamespace(ns)
    validateKey(key)
    const peers = this.candidates(ns)
    if (peers.length === 0) return undefined
    const found = await this.race<Winner>(
      peers,
      async (p, s) => {
        // Always the whole entry: only the whole can be checked against its digest. A range is cut out after.
        const res = await p.client!.get(ns, key, 0, this.o.requestTimeoutMs, this.o.requestTimeoutMs, s)
        if (!res) return undefined
        if (ns === 'cas' && res.info.sha256 !== key) {
          res.stream.destroy()
          this.o.metrics.verificationFailures.inc({ reason: 'key' })
          throw new PeerError('verification', `peer ${p.machineId} announced digest ${res.info.sha256} for cas/${key}`)
        }
        return { peer: p, info: { size: res.info.size, sha256: res.info.sha256, meta: res.info.meta }, stream: res.stream }
      },
      options.signal,
    )
    if (!found) {
      this.o.metrics.misses.inc()
      return undefined
    }
    const { peer, info, stream } = found.value
    const size = Number(info.size)
    const offset = Math.min(options.offset ?? 0, size)
    const verified = new Verifier({ size, sha256: info.sha256 }, {
      from: 'a peer',
      offset,
      length: options.length,
      onFailure: (reason) => {
        this.o.metrics.verificationFailures.inc({ reason })
        this.o.peers.failed(peer, 'verification')
        this.o.logger.warn({ peer: peer.machineId, address: peer.address, ns, key, reason }, 'p2p: bytes from a peer failed verification; not served')
      },
      onVerified: (bytes) => {
        this.o.metrics.bytesDownloaded.inc(bytes)
        peer.bytesDownloaded += bytes
        peer.hits++
      },
    })
    stream.on('error', (err) => {
      this.failed(peer, err)
      verified.destroy(err)
    })
    verified.on('close', () => stream.destroy())
    // The caller's signal keeps cancelling the winner's transfer after the race is over.
    const signal = options.signal
    if (signal) {
      const abort = () => verified.destroy(new FabrikError('ABORTED', 'the request was cancelled'))
      signal.addEventListener('abort', abort, { once: true })
      verified.on('close', () => signal.removeEventListener('abort', abort))
    }
    stream.pipe(verified)
    this.o.metrics.hits.inc()
    const now = Date.now()
    return { size, sha256: info.sha256, createdAt: now, accessedAt: now, meta: { ...info.meta }, stream: verified }
  }

  async put(): Promise<PutResult> {
    // P2P never writes into a peer's store; the chain only calls put on write_through layers.
    throw new FabrikError('PERMISSION_DENIED', 'the p2p layer is read-only: peers never write into each other\'s stores')
  }

  async delete(): Promise<boolean> {
    return false
  }

  async close(): Promise<void> {}
}
