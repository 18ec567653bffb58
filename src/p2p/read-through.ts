import type { Readable } from 'node:stream'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics/metrics.js'
import type { BlobStore, EntryStat, GetOptions, GetResult, PutOptions, PutResult } from '../store/types.js'

// TEMPORARY — until the layer chain (src/layers/chain.ts) lands on main and takes the PeerLayer as its `p2p`
// layer (local → p2p → regional → s3, read-only). Until then the daemon serves local-then-peers through this:
// a local miss asks the peers; a peer hit is written into the local store (put verifies size and SHA-256 again;
// a transfer that breaks off stores nothing) and then served from there, so a build tool never sees a partial
// or unverified entry. A failing peer layer is logged, counted (fabrik_layer_errors_total) and reads as a miss.

export class LocalThenPeers implements BlobStore {
  constructor(
    private readonly local: BlobStore,
    private readonly peers: BlobStore,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  private async fromPeers<T>(operation: string, run: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await run()
    } catch (err) {
      this.metrics.layerError('p2p', operation)
      this.logger.warn({ err: (err as Error).message, operation }, 'p2p layer failed; treated as a miss')
      return undefined
    }
  }

  async has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    if (await this.local.has(ns, key, signal)) return true
    return (await this.fromPeers('has', () => this.peers.has(ns, key, signal))) ?? false
  }

  async stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    return (await this.local.stat(ns, key, signal)) ?? (await this.fromPeers('stat', () => this.peers.stat(ns, key, signal)))
  }

  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    const hit = await this.local.get(ns, key, options)
    if (hit) return hit
    const stored = await this.fromPeers('get', async () => {
      const remote = await this.peers.get(ns, key, options.signal ? { signal: options.signal } : {})
      if (!remote) return undefined
      return this.local.put(ns, key, remote.stream, { size: remote.size, sha256: remote.sha256, meta: remote.meta, ...(options.signal ? { signal: options.signal } : {}) })
    })
    return stored ? this.local.get(ns, key, options) : undefined
  }

  put(ns: string, key: string, body: Readable | Buffer, options?: PutOptions): Promise<PutResult> {
    return this.local.put(ns, key, body, options)
  }

  delete(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return this.local.delete(ns, key, signal)
  }

  close(): Promise<void> {
    return this.local.close()
  }
}
