import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { LocalBlobStore } from '../store/types.js'
import { RequestLog } from './request-log.js'

// One registry per daemon/server process, served at GET /metrics. Names follow the metrics upstream Fabrik
// documents (fabrik_cache_hits_total, fabrik_request_duration_seconds, fabrik_bandwidth_bytes_total, ...) so
// existing dashboards keep working — here they are actually served.

export type Outcome = 'hit' | 'miss' | 'stored' | 'ok' | 'error'

export interface RequestObservation {
  protocol: 'http' | 'grpc'
  /** Build tool (http: turbo, nx, gradle, ...) or gRPC service (cas, ac, bytestream, capabilities, xcode-kv, ...). */
  tool: string
  /** HTTP verb or RPC name. */
  method: string
  outcome: Outcome
  seconds: number
  bytesIn?: number
  bytesOut?: number
  /**
   * Build time saved, in ms, where the tool says: a hit's (turbo's duration, Bazel's execution_metadata), or the
   * hits turbo's events POST reports from its own cache.
   */
  savedMs?: number
}

export interface Metrics {
  registry: Registry
  observe(o: RequestObservation): void
  /** Exposes the store's size, object count and eviction count, read at scrape time. */
  watchStore(store: LocalBlobStore): void
  /** A layer failed and the request moved on: counted, never a silent miss. */
  layerError(layer: string, operation: string): void
  /** Which requests get a `cache request` line at info (request-log.ts); the HTTP and gRPC hooks ask it. */
  requestLog: RequestLog
}

interface Tally {
  protocol: string
  tool: string
  method: string
  outcome: Outcome
  count: number
  bytesIn: number
  bytesOut: number
}

export interface MetricsOptions {
  defaultMetrics?: boolean
  /**
   * Also told about every request (the statistics recorder, src/stats/): called on the hot path, so it must only
   * tally in memory.
   */
  tap?: (o: RequestObservation) => void
  /** `[observability] request_log`; without it no request is logged one by one at info ("summary"). */
  requestLog?: string
}

/**
 * How often the event-loop delay histogram (fabrik_process_nodejs_eventloop_lag_*) samples. prom-client's default,
 * 10 ms, is a libuv timer that woke an idle daemon 100 times a second: half of its idle CPU (strace: ~200
 * epoll_wait returns per second instead of ~9), every one of them keeping a laptop's core out of its sleep states,
 * and each landing among the calls of a build. Once a second samples the lag as often as the daemon's other
 * periodic work runs anyway.
 */
const EVENT_LOOP_SAMPLE_MS = 1000

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const tap = options.tap
  const registry = new Registry()
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: 'fabrik_process_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS })
  }

  // Request counters are tallied in one plain map keyed by their label values and handed to prom-client when
  // /metrics is scraped (collect): prom-client hashes and validates the label object on every inc(), which cost
  // ~3 µs per request across these four counters — a tenth of a 1 KiB hit. Totals only grow, so each counter's
  // collect() resets itself and sets the totals; the histogram still observes directly (it has no bulk API).
  const tallies = new Map<string, Tally>()
  const tallyOf = (o: RequestObservation): Tally => {
    const id = `${o.protocol}\0${o.tool}\0${o.method}\0${o.outcome}`
    let t = tallies.get(id)
    if (t === undefined) {
      t = { protocol: o.protocol, tool: o.tool, method: o.method, outcome: o.outcome, count: 0, bytesIn: 0, bytesOut: 0 }
      tallies.set(id, t)
    }
    return t
  }
  function fromTallies(counter: Counter<string>, add: (counter: Counter<string>, t: Tally) => void): void {
    counter.reset()
    for (const t of tallies.values()) add(counter, t)
  }

  new Counter({
    name: 'fabrik_requests_total',
    help: 'Cache requests by protocol, tool, method and outcome',
    labelNames: ['protocol', 'tool', 'method', 'outcome'] as const,
    registers: [registry],
    collect() {
      fromTallies(this, (c, t) => c.inc({ protocol: t.protocol, tool: t.tool, method: t.method, outcome: t.outcome }, t.count))
    },
  })
  const byOutcome = (outcome: Outcome) => (c: Counter<string>, t: Tally) => {
    if (t.outcome === outcome && t.count > 0) c.inc({ tool: t.tool }, t.count)
  }
  new Counter({
    name: 'fabrik_cache_hits_total',
    help: 'Cache hits by tool',
    labelNames: ['tool'] as const,
    registers: [registry],
    collect() {
      fromTallies(this, byOutcome('hit'))
    },
  })
  new Counter({
    name: 'fabrik_cache_misses_total',
    help: 'Cache misses by tool',
    labelNames: ['tool'] as const,
    registers: [registry],
    collect() {
      fromTallies(this, byOutcome('miss'))
    },
  })
  const duration = new Histogram({
    name: 'fabrik_request_duration_seconds',
    help: 'Request latency',
    labelNames: ['protocol', 'tool', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  })
  new Counter({
    name: 'fabrik_bandwidth_bytes_total',
    help: 'Bytes received (in) and sent (out) by tool',
    labelNames: ['tool', 'direction'] as const,
    registers: [registry],
    collect() {
      fromTallies(this, (c, t) => {
        if (t.bytesIn > 0) c.inc({ tool: t.tool, direction: 'in' }, t.bytesIn)
        if (t.bytesOut > 0) c.inc({ tool: t.tool, direction: 'out' }, t.bytesOut)
      })
    },
  })
  const layerErrors = new Counter({
    name: 'fabrik_layer_errors_total',
    help: 'Failures of a cache layer that were logged and skipped',
    labelNames: ['layer', 'operation'] as const,
    registers: [registry],
  })

  return {
    registry,
    requestLog: new RequestLog(options.requestLog),
    observe(o) {
      const t = tallyOf(o)
      t.count++
      if (o.bytesIn) t.bytesIn += o.bytesIn
      if (o.bytesOut) t.bytesOut += o.bytesOut
      duration.observe({ protocol: o.protocol, tool: o.tool, method: o.method }, o.seconds)
      if (tap !== undefined) tap(o)
    },
    watchStore(store) {
      let reported = 0
      new Gauge({
        name: 'fabrik_store_bytes',
        help: 'Bytes held by the local store',
        registers: [registry],
        collect() {
          this.set(store.stats().bytes)
        },
      })
      new Gauge({
        name: 'fabrik_store_objects',
        help: 'Entries held by the local store',
        registers: [registry],
        collect() {
          this.set(store.stats().entries)
        },
      })
      new Counter({
        name: 'fabrik_evictions_total',
        help: 'Entries evicted from the local store',
        registers: [registry],
        collect() {
          const total = store.stats().evictions
          if (total > reported) this.inc(total - reported)
          reported = total
        },
      })
    },
    layerError(layer, operation) {
      layerErrors.inc({ layer, operation })
    },
  }
}
