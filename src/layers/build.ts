import type { FabrikConfig, UpstreamConfig } from '../config/types.js'
import type { Registry } from 'prom-client'
import type { LocalBlobStore, UploadQueueStore, UploadTargets } from '../store/types.js'
import { LayerChain } from './chain.js'
import { GuardedLayer } from './guard.js'
import { createLayerMetrics, type LayerMetrics, type LayerOp, type LayerResult } from './metrics.js'
import { uploadLayers, type LayerKind, type LayerLogger, type LayerSpec } from './types.js'
import { UploadWorkers } from './uploads.js'

export interface UnservedUpstream {
  url: string
  why: string
}

/**
 * Opens a client for each [[upstream]] entry this Fabrik can serve, in order. Entries it cannot serve yet are
 * returned as `unserved` (the daemon logs them) rather than silently ignored. Heavy SDKs load only when used.
 */
export async function openLayers(config: FabrikConfig, env: NodeJS.ProcessEnv = process.env): Promise<{ layers: LayerSpec[]; unserved: UnservedUpstream[] }> {
  const layers: LayerSpec[] = []
  const unserved: UnservedUpstream[] = []
  const names = new Map<string, number>()
  const nameFor = (kind: string) => {
    const n = (names.get(kind) ?? 0) + 1
    names.set(kind, n)
    return n === 1 ? kind : `${kind}#${n}`
  }
  try {
    for (const up of config.upstream) {
      const scheme = new URL(up.url).protocol.replace(/:$/, '')
      if (scheme === 's3') {
        const { createS3Layer } = await import('./s3.js')
        const store = await createS3Layer({
          url: up.url, endpoint: up.endpoint, region: up.region, accessKey: up.access_key, secretKey: up.secret_key, workers: up.workers,
        })
        layers.push(spec(up, 's3', nameFor('s3'), store))
      } else if (scheme === 'grpc' || scheme === 'grpcs') {
        const [{ RegionalLayer }, { upstreamToken }] = await Promise.all([import('./regional.js'), import('../auth/token.js')])
        const store = new RegionalLayer({ url: up.url, token: upstreamToken(config.auth.token, env).token })
        layers.push(spec(up, 'grpc', nameFor('regional'), store))
      } else {
        unserved.push({ url: up.url, why: `${scheme}:// upstreams are not served (s3:// and grpc(s):// are)` })
      }
    }
  } catch (err) {
    await Promise.all(layers.map((l) => l.store.close()))
    throw err
  }
  return { layers, unserved }
}

function spec(up: UpstreamConfig, kind: LayerKind, name: string, store: LayerSpec['store']): LayerSpec {
  return {
    id: up.url, name, kind, store, timeoutMs: up.timeout, readOnly: up.read_only, writeThrough: up.write_through, workers: up.workers,
    breaker: { failures: up.breaker_failures, cooldownMs: up.breaker_cooldown },
  }
}

/** What the local store must queue for the given layers (LocalStoreOptions.uploads). */
export function uploadTargets(config: FabrikConfig, layers: readonly LayerSpec[]): UploadTargets | undefined {
  const ids = uploadLayers(layers).map((l) => l.id)
  if (ids.length === 0) return undefined
  // Queued entries are pinned against eviction: the queue may never hold more than half of the cache.
  const maxBytes = Math.min(config.cache.upload_queue_max_size, Math.floor(config.cache.max_size / 2))
  return { layers: ids, maxEntries: config.cache.upload_queue_max_entries, maxBytes }
}

export interface AssembledChain {
  chain: LayerChain
  guarded: GuardedLayer[]
  workers: UploadWorkers | undefined
  metrics: LayerMetrics
}

/** Told about every layer answer and byte count besides the metrics (the statistics recorder, src/stats/). */
export interface LayerObserver {
  layerRequest(layer: string, op: LayerOp, result: LayerResult, seconds?: number): void
  layerBytes(layer: string, direction: 'in' | 'out', n: number): void
  /** The chain served a verified entry from this layer: that layer's hit. */
  layerServed(layer: string): void
}

function observed(metrics: LayerMetrics, observer: LayerObserver | undefined): LayerMetrics {
  if (!observer) return metrics
  return {
    ...metrics,
    request(layer, op, result, seconds) {
      metrics.request(layer, op, result, seconds)
      observer.layerRequest(layer, op, result, seconds)
    },
    bytes(layer, direction, n) {
      metrics.bytes(layer, direction, n)
      if (n > 0) observer.layerBytes(layer, direction, n)
    },
  }
}

export interface AssembleOptions {
  local: LocalBlobStore & { uploads?: UploadQueueStore }
  layers: readonly LayerSpec[]
  registry: Registry
  logger: LayerLogger
  /** Upload workers poll the queue this often besides being nudged (tests shorten it). */
  pollMs?: number
  /** Acknowledge puts only once every write-through layer has them (fabrik server); no queue. */
  syncWrites?: boolean
  observer?: LayerObserver
}

/** The chain over `local` and `layers`, with its upload workers started when any layer takes uploads. */
export function assembleChain(o: AssembleOptions): AssembledChain {
  const metrics = observed(createLayerMetrics(o.registry), o.observer)
  const guarded = o.layers.map((l) => new GuardedLayer(l, metrics, o.logger))
  const queue = o.local.uploads
  const writable = guarded.filter((g) => g.spec.writeThrough && !g.spec.readOnly)
  let workers: UploadWorkers | undefined
  if (queue && !o.syncWrites) {
    const pruned = queue.prune(writable.map((g) => g.spec.id))
    if (pruned > 0) o.logger.warn({ entries: pruned }, 'dropped queued uploads for layers no longer configured')
    if (writable.length > 0) {
      workers = new UploadWorkers({ queue, local: o.local, layers: writable, metrics, logger: o.logger, pollMs: o.pollMs })
    }
  }
  metrics.watch(o.layers, (name) => guarded.find((g) => g.name === name)?.breaker.stateValue ?? 0, queue)
  const chain = new LayerChain({
    local: o.local,
    layers: guarded,
    logger: o.logger,
    syncWrites: o.syncWrites,
    onServed: o.observer ? (layer) => o.observer?.layerServed(layer) : undefined,
    onStored: workers ? () => workers.nudge() : undefined,
    onClose: async () => {
      await workers?.close()
      await Promise.all(o.layers.map((l) => l.store.close().catch(() => undefined)))
    },
  })
  workers?.start()
  return { chain, guarded, workers, metrics }
}

/** The layers as `fabrik health` reports them. */
export function layerHealth(a: AssembledChain, queue: UploadQueueStore | undefined): Record<string, unknown>[] {
  return a.guarded.map((g) => {
    const writes = g.spec.writeThrough && !g.spec.readOnly
    const depth = writes && queue ? queue.depth(g.spec.id) : undefined
    return {
      name: g.name,
      kind: g.spec.kind,
      url: g.spec.id,
      state: g.breaker.state === 'closed' ? 'online' : g.breaker.state === 'open' ? 'offline' : 'probing',
      read_only: g.spec.readOnly,
      write_through: writes,
      ...(g.lastError ? { last_error: g.lastError } : {}),
      ...(g.refusal ? { refused: { [g.refusal.writes ? 'writes' : 'reads']: g.refusal.message, fix: g.refusal.fix } } : {}),
      ...(depth
        ? { queue: { entries: depth.entries, bytes: depth.bytes, oldest_age_s: depth.oldest === undefined ? 0 : Math.round((Date.now() - depth.oldest) / 1000) } }
        : {}),
    }
  })
}
