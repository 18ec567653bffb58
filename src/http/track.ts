import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Metrics, Outcome } from '../metrics/metrics.js'
import type { BlobStore } from '../store/types.js'

// Per-request bookkeeping shared by every tool plugin: which tool answered, how it ended (hit / miss / stored /
// error), bytes in and out. Recorded once in onResponse — after the body has been streamed — so the latency
// histogram covers the whole transfer and plugins never call metrics themselves.

export type Tool = 'turbo' | 'nx' | 'gradle' | 'bazel' | 'ccache' | 'sccache' | 'metro'

/** What every tool plugin is registered with. */
export interface ToolOptions {
  store: BlobStore
  metrics: Metrics
  /** Uploads above this many bytes are refused with 413 and nothing is stored. */
  maxBlobBytes: number
}

export interface RequestTrack {
  /** performance.now() when the request arrived. */
  start: number
  outcome?: Outcome
  bytesIn: number
  bytesOut: number
  /** Build time saved (ms): a hit's, when the tool recorded it with the entry, or what turbo's events report. */
  savedMs?: number
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Null only for requests refused before tracking started (foreign Host): those are not a tool's traffic. */
    fabrik: RequestTrack
  }
}

/** Root-level: every request gets its RequestTrack (see startTracking); tool plugins report it (labelTool). */
export function installTracking(app: FastifyInstance): void {
  app.decorateRequest('fabrik', null as unknown as RequestTrack)
}

/** Part of the app's one onRequest hook (app.ts). */
export function startTracking(request: FastifyRequest): void {
  request.fabrik = { start: performance.now(), bytesIn: 0, bytesOut: 0 }
}

/**
 * Called inside a tool plugin: reports every request its routes answered, once the response is done (so the
 * latency covers the whole transfer), under the tool's name. A hook of the plugin's own, with the name in its
 * closure, rather than one root hook looking the route up per request: on a 1 KiB hit every step shows in
 * throughput (bench:http). Requests no route matched (404s) belong to no tool and are not reported.
 */
export function labelTool(app: FastifyInstance, tool: Tool, metrics: Metrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const t = request.fabrik as RequestTrack | null
    // Not for foreign-Host refusals (no track), nor for a request a route handed to the 404 handler (ccache's
    // "/"): fastify then finishes it with the 404 handler's hooks, not this plugin's.
    if (t !== null) {
      const outcome = t.outcome ?? (reply.statusCode >= 400 ? 'error' : 'ok')
      const now = performance.now()
      const seconds = (now - t.start) / 1000
      metrics.observe({ protocol: 'http', tool, method: request.method, outcome, seconds, bytesIn: t.bytesIn, bytesOut: t.bytesOut, savedMs: t.savedMs })
      // A Bazel build makes tens of thousands of requests: at info only as many lines as `request_log` allows
      // (metrics/request-log.ts) besides the statistics recorder's per-tool summary each minute; at debug all.
      const requestLog = metrics.requestLog
      const skipped = requestLog.enabled ? requestLog.take(now) : undefined
      if (skipped !== undefined) request.log.info(requestLine(tool, request, reply, outcome, seconds, t, skipped), 'cache request')
      else if (request.log.level === 'debug' || request.log.level === 'trace') {
        request.log.debug(requestLine(tool, request, reply, outcome, seconds, t, 0), 'cache request')
      }
    }
    done()
  })
}

function requestLine(tool: Tool, request: FastifyRequest, reply: FastifyReply, outcome: Outcome, seconds: number, t: RequestTrack, skipped: number): object {
  return {
    tool, method: request.method, url: request.url, status: reply.statusCode, outcome, ms: Math.round(seconds * 1000),
    bytes: t.bytesOut || t.bytesIn, ...(skipped > 0 ? { skipped } : {}),
  }
}

export function mark(request: FastifyRequest, outcome: Outcome, bytes: { in?: number; out?: number } = {}): void {
  const t = request.fabrik
  t.outcome = outcome
  if (bytes.in !== undefined) t.bytesIn += bytes.in
  if (bytes.out !== undefined) t.bytesOut += bytes.out
}

const SOCKET_SIGNAL = Symbol('fabrik.socketSignal')
type SignalledSocket = { [SOCKET_SIGNAL]?: AbortSignal }

/**
 * Aborted when the client's connection closes, so a slow layer stops working for nobody. One controller per
 * connection rather than per request: AbortController is costly enough to show in small-hit throughput, and a
 * request can only be abandoned by closing its connection (HTTP/1.1 has no per-request cancel).
 */
export function clientSignal(reply: FastifyReply): AbortSignal | undefined {
  const socket = reply.raw.socket as (SignalledSocket & NonNullable<typeof reply.raw.socket>) | null
  if (!socket || typeof socket.once !== 'function') return undefined // inject() has no real connection
  let signal = socket[SOCKET_SIGNAL]
  if (!signal) {
    const controller = new AbortController()
    signal = controller.signal
    socket[SOCKET_SIGNAL] = signal
    socket.once('close', () => controller.abort())
  }
  return signal
}
