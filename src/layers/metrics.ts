import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { UploadQueueStore } from '../store/types.js'
import type { LayerSpec } from './types.js'

// Per-layer figures. Only requests that missed the local store reach a layer, so prom-client's own label
// handling is cheap enough here (unlike the per-request tallies in src/metrics/metrics.ts).

export type LayerOp = 'get' | 'stat' | 'has' | 'put' | 'delete'
export type LayerResult = 'hit' | 'miss' | 'ok' | 'error' | 'skipped'
export type UploadResult = 'done' | 'failed' | 'dropped' | 'gone' | 'refused'

export interface LayerMetrics {
  request(layer: string, op: LayerOp, result: LayerResult, seconds?: number): void
  bytes(layer: string, direction: 'in' | 'out', n: number): void
  verificationFailure(layer: string): void
  upload(layer: string, result: UploadResult, n?: number): void
  /** Reports breaker state and queue depth at scrape time. */
  watch(layers: readonly LayerSpec[], state: (layer: string) => number, queue: UploadQueueStore | undefined): void
}

export function createLayerMetrics(registry: Registry): LayerMetrics {
  // Registered once per registry: a second chain over the same registry (tests) reuses them.
  const existing = registry.getSingleMetric('fabrik_upstream_requests_total') as Counter<string> | undefined
  const requests = existing ?? new Counter({
    name: 'fabrik_upstream_requests_total',
    help: 'Requests to slower cache layers by layer, operation and result (hit, miss, ok, error, skipped while the breaker is open)',
    labelNames: ['layer', 'op', 'result'] as const,
    registers: [registry],
  })
  const latency = (registry.getSingleMetric('fabrik_upstream_request_duration_seconds') as Histogram<string> | undefined) ?? new Histogram({
    name: 'fabrik_upstream_request_duration_seconds',
    help: 'Latency of requests to slower cache layers, until the layer answered',
    labelNames: ['layer', 'op'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const bytes = (registry.getSingleMetric('fabrik_upstream_bytes_total') as Counter<string> | undefined) ?? new Counter({
    name: 'fabrik_upstream_bytes_total',
    help: 'Bytes received from (in) and uploaded to (out) slower cache layers',
    labelNames: ['layer', 'direction'] as const,
    registers: [registry],
  })
  const verification = (registry.getSingleMetric('fabrik_upstream_verification_failures_total') as Counter<string> | undefined) ?? new Counter({
    name: 'fabrik_upstream_verification_failures_total',
    help: 'Entries from a slower layer whose size or SHA-256 did not match: never served, never stored',
    labelNames: ['layer'] as const,
    registers: [registry],
  })
  const uploads = (registry.getSingleMetric('fabrik_uploads_total') as Counter<string> | undefined) ?? new Counter({
    name: 'fabrik_uploads_total',
    help: 'Write-behind uploads by layer and result (done; failed for good; dropped because the queue was full; gone: evicted or deleted locally first; refused: the layer refused our token)',
    labelNames: ['layer', 'result'] as const,
    registers: [registry],
  })
  return {
    request(layer, op, result, seconds) {
      requests.inc({ layer, op, result })
      if (seconds !== undefined) latency.observe({ layer, op }, seconds)
    },
    bytes(layer, direction, n) {
      if (n > 0) bytes.inc({ layer, direction }, n)
    },
    verificationFailure(layer) {
      verification.inc({ layer })
    },
    upload(layer, result, n = 1) {
      uploads.inc({ layer, result }, n)
    },
    watch(layers, state, queue) {
      for (const name of ['fabrik_layer_breaker_state', 'fabrik_upload_queue_depth', 'fabrik_upload_queue_bytes', 'fabrik_upload_queue_oldest_age_seconds']) {
        registry.removeSingleMetric(name)
      }
      new Gauge({
        name: 'fabrik_layer_breaker_state',
        help: 'Circuit breaker per layer: 0 closed, 1 open, 2 half-open (probing)',
        labelNames: ['layer'] as const,
        registers: [registry],
        collect() {
          for (const l of layers) this.set({ layer: l.name }, state(l.name))
        },
      })
      if (!queue) return
      const depthGauge = (name: string, help: string, pick: (d: ReturnType<UploadQueueStore['depth']>) => number) =>
        new Gauge({
          name,
          help,
          labelNames: ['layer'] as const,
          registers: [registry],
          collect() {
            for (const l of layers) if (l.writeThrough && !l.readOnly) this.set({ layer: l.name }, pick(queue.depth(l.id)))
          },
        })
      depthGauge('fabrik_upload_queue_depth', 'Entries waiting to be uploaded, per layer', (d) => d.entries)
      depthGauge('fabrik_upload_queue_bytes', 'Bytes waiting to be uploaded, per layer', (d) => d.bytes)
      depthGauge('fabrik_upload_queue_oldest_age_seconds', 'Age of the oldest entry waiting to be uploaded, per layer',
        (d) => (d.oldest === undefined ? 0 : (Date.now() - d.oldest) / 1000))
    },
  }
}
