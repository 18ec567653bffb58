import { PassThrough, pipeline, type Readable } from 'node:stream'
import { FabrikError, isFabrikError } from '../errors/registry.js'
import { BufferedResult, readResult } from '../store/result.js'
import type {
  EntryStat, GetOptions, GetResult, ListedEntry, LocalBlobStore, PutOptions, PutResult, StoreStats,
} from '../store/types.js'
import { fanOut } from './fan-out.js'
import type { GuardedLayer, RemoteHit } from './guard.js'
import type { LayerLogger } from './types.js'
import { implausible, Verifier, type Expected } from './verify.js'

/**
 * Entries up to this size found in a slower layer are read whole and verified before a byte is served: most cache
 * entries are this small, and then a bad body is a plain miss for the client instead of a broken response.
 * Larger ones stream to the client and into the local store at once (verified as they stream; see Verifier).
 */
export const WHOLE_BYTES = 1024 * 1024
/** syncWrites: entries up to this size are sent to a layer as one Buffer (S3 PutObject wants a known length). */
const SYNC_BUFFER_BYTES = 8 * 1024 * 1024

export interface ChainOptions {
  local: LocalBlobStore
  /** Slower layers, fastest first (p2p, regional, s3). */
  layers: readonly GuardedLayer[]
  logger: LayerLogger
  /** Told about every entry stored locally (the upload workers wake up). */
  onStored?: () => void
  /** Closed after the local store (upload workers, layer clients). */
  onClose?: () => Promise<void>
  /**
   * `fabrik server`: a put is acknowledged only once every write-through layer has it too (no queue). A replica
   * may die with its disk at any moment; the daemon that sent the entry keeps it queued until this put succeeds.
   */
  syncWrites?: boolean
  /**
   * Told when a slower layer's entry was served, i.e. passed the checks (the statistics count that layer's hits
   * here, not when the layer answered: a body that fails verification is no hit, and `fabrik stats` derives local
   * hits as the clients' hits minus the layers').
   */
  onServed?: (layer: string) => void
}

type ReadOutcome = 'hit' | 'miss' | 'error'

/**
 * The layer chain: the local store, then each slower layer in order, behind the same BlobStore interface the
 * protocol adapters already use — they never learn which layer answered. A hit from a slower layer is verified
 * and written back into the local store as it is served (one read of the remote body); concurrent misses of one
 * key share that fetch. A layer that fails, times out or is offline is logged, counted and skipped: the request
 * goes on to the next layer and finally answers a miss. Puts are local (durable before the client hears back);
 * the local store queues them for the write-through layers in the same transaction (upload-queue.ts).
 */
export class LayerChain implements LocalBlobStore {
  private readonly local: LocalBlobStore
  private readonly layers: readonly GuardedLayer[]
  /** Keys being fetched from a slower layer: resolves true once the entry is in the local store. */
  private readonly inflight = new Map<string, Promise<boolean>>()

  constructor(private readonly o: ChainOptions) {
    this.local = o.local
    this.layers = o.layers
  }

  async has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    if (await this.local.has(ns, key, signal)) return true
    for (const layer of this.layers) {
      const answer = await layer.has(ns, key, signal)
      if (answer.ok && answer.value) return true
    }
    return false
  }

  async stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    const here = await this.local.stat(ns, key, signal)
    if (here) return here
    for (const layer of this.layers) {
      const answer = await layer.stat(ns, key, signal)
      if (answer.ok && answer.value) return answer.value
    }
    return undefined
  }

  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    const here = await this.local.get(ns, key, options)
    if (here || this.layers.length === 0) return here
    const id = `${ns}\0${key}`
    const pending = this.inflight.get(id)
    if (pending) return (await pending) ? this.local.get(ns, key, options) : undefined
    let settle!: (stored: boolean) => void
    const fetched = new Promise<boolean>((resolve) => (settle = resolve))
    this.inflight.set(id, fetched)
    void fetched.then(() => this.inflight.delete(id))
    try {
      return await this.fetch(ns, key, options, settle)
    } catch (err) {
      settle(false)
      throw err
    }
  }

  /** Asks each slower layer in turn; `settle` reports whether the entry ended up in the local store. */
  private async fetch(ns: string, key: string, options: GetOptions, settle: (stored: boolean) => void): Promise<GetResult | undefined> {
    const ranged = (options.offset ?? 0) > 0 || options.length !== undefined
    for (const layer of this.layers) {
      const started = performance.now()
      const answer = await layer.get(ns, key, options.signal)
      if (!answer.ok || answer.value === undefined) {
        this.read(layer, ns, key, options, started, answer.ok ? 'miss' : 'error')
        continue
      }
      const hit = answer.value
      const claimed: Expected = { size: hit.result.size, sha256: hit.result.sha256 }
      const why = implausible(ns, key, claimed)
      if (why !== undefined) {
        hit.result.stream.destroy()
        hit.abort(new Error(why))
        layer.verificationFailed(ns, key, why)
        this.read(layer, ns, key, options, started, 'error')
        continue
      }
      if (claimed.size > WHOLE_BYTES && !ranged) return this.streamThrough(layer, ns, key, options, hit, claimed, settle, started)
      const bytes = await this.readWhole(layer, ns, key, hit, claimed)
      if (bytes === undefined) {
        this.read(layer, ns, key, options, started, 'error')
        continue
      }
      const stored = await this.backfill(layer, ns, key, bytes, hit.result)
      settle(stored)
      this.read(layer, ns, key, options, started, 'hit', bytes.length)
      const stat = { ...hit.result, accessedAt: Date.now() }
      const start = Math.min(options.offset ?? 0, bytes.length)
      const end = options.length === undefined ? bytes.length : Math.min(bytes.length, start + options.length)
      return new BufferedResult(stat, bytes.subarray(start, end), options.signal)
    }
    settle(false)
    return undefined
  }

  /**
   * One debug line per layer asked (the layer column of `fabrik daemon logs`), and a layer hit for the statistics
   * once its entry is served — never for an answer whose body then failed the checks.
   */
  private read(layer: GuardedLayer, ns: string, key: string, options: GetOptions, started: number, outcome: ReadOutcome, bytes?: number): void {
    if (outcome === 'hit' && options.reference !== true) this.o.onServed?.(layer.name)
    this.o.logger.debug?.({ layer: layer.name, op: 'get', ns, key, outcome, ms: Math.round(performance.now() - started), bytes }, 'layer read')
  }

  /** Checks a layer's answer as it streams: size and digest, or the size only when the layer checked the digest. */
  private verifier(layer: GuardedLayer, hit: RemoteHit, claimed: Expected): Verifier {
    return new Verifier(claimed, {
      idleMs: layer.spec.timeoutMs,
      onIdle: () => hit.abort(new Error('idle')),
      digestChecked: layer.spec.checksDigests === true,
    })
  }

  /** The whole body, verified; undefined when the layer failed or sent something else than it recorded. */
  private async readWhole(layer: GuardedLayer, ns: string, key: string, hit: RemoteHit, claimed: Expected): Promise<Buffer | undefined> {
    const verifier = this.verifier(layer, hit, claimed)
    pipeline(hit.result.stream, verifier, () => undefined)
    const chunks: Buffer[] = []
    try {
      for await (const chunk of verifier as AsyncIterable<Buffer>) chunks.push(chunk)
    } catch (err) {
      hit.result.stream.destroy()
      this.bodyFailed(layer, ns, key, err)
      return undefined
    }
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
    layer.countBytes('in', bytes.length)
    return bytes
  }

  /** Writes a verified entry from `layer` into the local store; a local failure still lets the caller serve it. */
  private async backfill(layer: GuardedLayer, ns: string, key: string, bytes: Buffer, from: EntryStat): Promise<boolean> {
    try {
      await this.local.put(ns, key, bytes, { size: from.size, sha256: from.sha256, meta: from.meta, upload: false })
      return true
    } catch (err) {
      this.o.logger.warn({ layer: layer.name, ns, key, err: message(err) }, 'could not keep an entry from a slower layer in the local store')
      return false
    }
  }

  /** Streams a large hit to the client and into the local store at once, verified on the way. */
  private streamThrough(
    layer: GuardedLayer, ns: string, key: string, options: GetOptions, hit: RemoteHit, claimed: Expected, settle: (stored: boolean) => void,
    started: number,
  ): GetResult {
    const verifier = this.verifier(layer, hit, claimed)
    // Served once the verifier has passed the last byte on (it holds it back until the digest matches).
    pipeline(hit.result.stream, verifier, (err) => {
      if (err) this.bodyFailed(layer, ns, key, err)
      this.read(layer, ns, key, options, started, err ? 'error' : 'hit', err ? undefined : claimed.size)
    })
    let received = 0
    verifier.on('data', (chunk: Buffer) => (received += chunk.length))
    const toClient = new PassThrough()
    const toLocal = new PassThrough()
    fanOut(verifier, [toClient, toLocal])
    this.local.put(ns, key, toLocal, { size: claimed.size, sha256: claimed.sha256, meta: hit.result.meta, upload: false }).then(
      () => settle(true),
      (err: unknown) => {
        settle(false)
        if (!isFabrikError(err, 'DIGEST_MISMATCH') && !isFabrikError(err, 'SIZE_MISMATCH') && !verifier.errored) {
          this.o.logger.warn({ layer: layer.name, ns, key, err: message(err) }, 'could not keep an entry from a slower layer in the local store')
        }
      },
    ).finally(() => layer.countBytes('in', received))
    return { size: claimed.size, sha256: claimed.sha256, createdAt: hit.result.createdAt, accessedAt: Date.now(), meta: hit.result.meta, stream: toClient }
  }

  private bodyFailed(layer: GuardedLayer, ns: string, key: string, err: unknown): void {
    if (isFabrikError(err, 'DIGEST_MISMATCH') || isFabrikError(err, 'SIZE_MISMATCH')) layer.verificationFailed(ns, key, message(err))
    else layer.bodyFailed(ns, key, message(err))
  }

  async put(ns: string, key: string, body: Buffer | Readable, options?: PutOptions): Promise<PutResult> {
    const upload = options?.upload !== false
    if (this.o.syncWrites) {
      const result = await this.local.put(ns, key, body, { ...options, upload: false })
      if (upload) await this.writeThrough(ns, key)
      return result
    }
    const result = await this.local.put(ns, key, body, options)
    if (result.created && upload) this.o.onStored?.()
    return result
  }

  /** syncWrites: copies the local entry to every write-through layer that does not have it yet; throws if one fails. */
  private async writeThrough(ns: string, key: string): Promise<void> {
    for (const layer of this.layers) {
      if (!layer.spec.writeThrough || layer.spec.readOnly) continue
      const there = await layer.has(ns, key)
      if (there.ok && there.value) continue
      const got = await this.local.get(ns, key)
      if (!got) throw new FabrikError('STORE_IO', `${ns}/${key} vanished from the local store before it reached the ${layer.name} layer`)
      const body = got.size <= SYNC_BUFFER_BYTES ? await readResult(got) : got.stream
      try {
        await layer.put(ns, key, body, { size: got.size, sha256: got.sha256, meta: got.meta })
      } catch (err) {
        throw isFabrikError(err) ? err : new FabrikError('UNAVAILABLE', `the ${layer.name} layer is offline; nothing was acknowledged`, { cause: err })
      }
      layer.countBytes('out', got.size)
    }
  }

  /** Local only: slower layers are shared with other machines, and a local delete is a local decision. */
  delete(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return this.local.delete(ns, key, signal)
  }

  list(options?: { ns?: string; prefix?: string; limit?: number }): ListedEntry[] {
    return this.local.list(options)
  }

  stats(): StoreStats {
    return this.local.stats()
  }

  async close(): Promise<void> {
    try {
      await this.o.onClose?.()
    } finally {
      await this.local.close()
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
