import * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../errors/registry.js'
import type { Outcome } from '../metrics/metrics.js'
import type { GrpcContext } from './context.js'
import { toGrpcError } from './errors.js'

// Every handler is wrapped here, so each RPC is counted once — by service (tool), RPC name (method) and outcome,
// with bytes and latency — in the same /metrics registry as HTTP. Handlers are plain async functions: they return
// the response (or finish writing their stream) or throw a FabrikError; the wrappers turn throws into statuses.

export type Service = 'capabilities' | 'cas' | 'ac' | 'bytestream' | 'xcode-kv' | 'xcode-cas' | 'fabrik'

/** Filled in by the handler while it runs. */
export interface Tally {
  outcome: Outcome
  bytesIn: number
  bytesOut: number
  /** Build time the hit saved (ms): an action result's execution_metadata. */
  savedMs?: number
  /** The digest the call was about (one-digest RPCs: action cache, ByteStream): the `key` of its log line. */
  key?: string
}

function record(ctx: GrpcContext, tool: Service, method: string, started: bigint, tally: Tally, err?: unknown, cancelled = false): void {
  let outcome = tally.outcome
  if (err !== undefined || cancelled) {
    const status = err === undefined ? grpc.status.CANCELLED : toGrpcError(err).code
    // A NOT_FOUND answer is how REAPI says "miss" (GetActionResult, Read): count it as one, not as a failure.
    outcome = status === grpc.status.NOT_FOUND ? 'miss' : 'error'
    const fields = { service: tool, method, status: grpc.status[status], err: err instanceof Error ? err.message : undefined }
    if (status === grpc.status.INTERNAL || status === grpc.status.UNKNOWN) ctx.logger.error(fields, 'grpc request failed')
    else ctx.logger.debug(fields, 'grpc request ended without success')
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  ctx.metrics.observe({ protocol: 'grpc', tool, method, outcome, seconds, bytesIn: tally.bytesIn, bytesOut: tally.bytesOut, savedMs: tally.savedMs })
  // As for HTTP (track.ts): at info as many lines as `request_log` allows, besides the per-tool summary
  // (src/stats/); at debug one for every request.
  const requestLog = ctx.metrics.requestLog
  const skipped = requestLog.enabled ? requestLog.take(performance.now()) : undefined
  if (skipped !== undefined) ctx.logger.info(requestLine(tool, method, outcome, seconds, tally, skipped), 'cache request')
  else if (ctx.logger.isLevelEnabled?.('debug') === true) ctx.logger.debug(requestLine(tool, method, outcome, seconds, tally, 0), 'cache request')
}

function requestLine(tool: Service, method: string, outcome: Outcome, seconds: number, tally: Tally, skipped: number): object {
  return {
    tool: tool.startsWith('xcode') ? 'xcode' : 'bazel', service: tool, method, key: tally.key, outcome, ms: Math.round(seconds * 1000),
    bytes: tally.bytesOut || tally.bytesIn, ...(skipped > 0 ? { skipped } : {}),
  }
}

function newTally(): Tally {
  return { outcome: 'ok', bytesIn: 0, bytesOut: 0 }
}

export function unary<Req, Res>(
  ctx: GrpcContext,
  tool: Service,
  method: string,
  fn: (request: Req, tally: Tally, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = process.hrtime.bigint()
    const tally = newTally()
    fn(call.request, tally, call).then(
      (response) => {
        record(ctx, tool, method, started, tally)
        callback(null, response)
      },
      (err: unknown) => {
        record(ctx, tool, method, started, tally, err)
        callback(toGrpcError(err))
      },
    )
  }
}

export function serverStream<Req, Res>(
  ctx: GrpcContext,
  tool: Service,
  method: string,
  fn: (call: grpc.ServerWritableStream<Req, Res>, tally: Tally) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const started = process.hrtime.bigint()
    const tally = newTally()
    fn(call, tally).then(
      () => {
        record(ctx, tool, method, started, tally, undefined, call.cancelled)
        if (!call.cancelled) call.end()
      },
      (err: unknown) => {
        record(ctx, tool, method, started, tally, call.cancelled ? undefined : err, call.cancelled)
        // grpc-js turns an 'error' event on a server stream into the call's final status.
        if (!call.cancelled && !call.destroyed) call.emit('error', toGrpcError(err))
      },
    )
  }
}

export function clientStream<Req, Res>(
  ctx: GrpcContext,
  tool: Service,
  method: string,
  fn: (call: grpc.ServerReadableStream<Req, Res>, tally: Tally) => Promise<Res>,
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    const started = process.hrtime.bigint()
    const tally = newTally()
    if (ctx.idleTimeoutMs) limitIdle(call, ctx.idleTimeoutMs, ctx.requestTimeoutMs ?? Infinity)
    fn(call, tally).then(
      (response) => {
        record(ctx, tool, method, started, tally)
        callback(null, response)
      },
      (err: unknown) => {
        record(ctx, tool, method, started, tally, call.cancelled ? undefined : err, call.cancelled)
        callback(toGrpcError(err))
      },
    )
  }
}

/**
 * Makes the call's message iterator fail with TIMEOUT when the client sends nothing for `ms` while the handler
 * waits for its next message, or has not sent them all within `totalMs`: a stalled, vanished or dribbling
 * uploader must not hold the call, its partial upload and its space reservation forever. Time the handler spends
 * on its own (writing to disk) does not count towards `ms`.
 *
 * One timer per call, re-armed only when it fires early, rather than a timer set and cleared per message: a cold
 * Bazel build uploads 40 MiB as ~2,600 Write messages of 16 KiB. With this and channelz off (server.ts) the
 * server's CPU for ten 4 MiB uploads in 16 KiB messages fell by ~6-13% (median of paired rounds, in-process
 * server against a client process).
 */
function limitIdle<Req, Res>(call: grpc.ServerReadableStream<Req, Res>, ms: number, totalMs: number): void {
  const iterate = call[Symbol.asyncIterator].bind(call)
  const deadline = Date.now() + totalMs
  call[Symbol.asyncIterator] = () => {
    const inner = iterate()
    let timer: NodeJS.Timeout | undefined
    /** The pending next() and when it began waiting; undefined while the handler works on its own. */
    let waiting: { since: number; reject: (err: Error) => void } | undefined
    const check = () => {
      timer = undefined
      if (!waiting) return
      const now = Date.now()
      const idleLeft = waiting.since + ms - now
      const totalLeft = deadline - now
      if (idleLeft > 0 && totalLeft > 0) {
        timer = setTimeout(check, Math.min(idleLeft, totalLeft)).unref()
        return
      }
      const why = totalLeft <= 0 ? `the client did not send the whole request within ${totalMs} ms` : `the client sent no message for ${ms} ms`
      const w = waiting
      waiting = undefined
      w.reject(new FabrikError('TIMEOUT', why))
    }
    return {
      next: () =>
        new Promise<IteratorResult<Req>>((resolve, reject) => {
          const now = Date.now()
          const wait = { since: now, reject }
          waiting = wait
          // A timer armed for an earlier wait fires at or before this wait's limit and re-arms for what is left;
          // unref'd, as one left behind by a call that has ended must not hold the process.
          timer ??= setTimeout(check, Math.max(0, Math.min(ms, deadline - now))).unref()
          const settled = () => {
            if (waiting === wait) waiting = undefined
          }
          inner.next().then(
            (r) => {
              settled()
              resolve(r)
            },
            (err: unknown) => {
              settled()
              reject(err as Error)
            },
          )
        }),
      return: (value?: unknown) => {
        clearTimeout(timer)
        timer = undefined
        return inner.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined })
      },
      [Symbol.asyncIterator]() {
        return this
      },
    } as AsyncIterableIterator<Req>
  }
}
