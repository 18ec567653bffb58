import type { FastifyInstance } from 'fastify'
import type { Metrics } from '../metrics/metrics.js'
import type { BlobStore, LocalBlobStore } from '../store/types.js'

// /health answers as long as the process serves HTTP; /ready only once the daemon can serve the cache (store
// open, upstreams configured) — `fabrik daemon start` polls it. /metrics is the Prometheus text format.

export interface ObservabilityOptions {
  metrics: Metrics
  store: BlobStore
  /** The store whose size, object count and evictions are exported; default `store` if it is a local store. */
  localStore?: LocalBlobStore
  ready?: () => boolean
  /** More figures for /health (layers, upload queue, today's figures, peers). */
  health?: () => Record<string, unknown> | Promise<Record<string, unknown>>
}

function isLocalStore(store: BlobStore): store is LocalBlobStore {
  const s = store as Partial<LocalBlobStore>
  return typeof s.stats === 'function' && typeof s.list === 'function'
}

export async function observabilityPlugin(app: FastifyInstance, options: ObservabilityOptions): Promise<void> {
  const { metrics, store } = options
  // Store size, object count and evictions come from the local store at scrape time. The gauges are registered
  // once per registry, so a second app over the same Metrics (tests, restarts) does not register them twice.
  const local = options.localStore ?? (isLocalStore(store) ? store : undefined)
  if (local && metrics.registry.getSingleMetric('fabrik_store_bytes') === undefined) metrics.watchStore(local)
  const startedAt = Date.now()

  // `fabrik health` prints this: real figures from the running store, not a static "ok".
  app.get('/health', async () => ({
    status: 'ok',
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
    pid: process.pid,
    ...(local ? { store: local.stats() } : {}),
    ...((await options.health?.()) ?? {}),
  }))

  app.get('/ready', async (_request, reply) => {
    // The pid lets `fabrik daemon stop` confirm whom it is about to signal where /proc cannot (verify.ts).
    if (options.ready?.() ?? true) return { status: 'ready', pid: process.pid }
    return reply.code(503).send({ code: 'UNAVAILABLE', message: 'the daemon is starting or shutting down' })
  })

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics()
    return reply.type(metrics.registry.contentType).send(text)
  })
}
