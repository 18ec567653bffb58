import * as http2 from 'node:http2'
import * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../errors/registry.js'
import type { GrpcLogger } from './context.js'
import { toGrpcError } from './errors.js'

// A call whose request is one message (unary: FindMissingBlobs, BatchUpdateBlobs, GetActionResult; server
// streaming: ByteStream Read) runs its handler only once that message and the end of the request have arrived.
// Until then grpc-js buffers the message's bytes (up to the receive limit, ~5 MiB; 256 MiB on Xcode's socket) and
// waits as long as the client likes: a client that sends the headers and part of a message held the call and its
// buffer forever. This interceptor gives such a request the same limits as an HTTP request body: it fails with
// DEADLINE_EXCEEDED when the client sends no byte for `idleMs`, or has not sent the whole request within
// `requestMs`, and the stream is then reset so the buffer goes with it. Client streams (ByteStream Write) are limited per message by observe.ts instead, where the time the
// handler spends writing to disk is not counted against the client.

export interface RequestLimits {
  idleMs: number
  requestMs: number
}

/**
 * The HTTP/2 stream under a call: its 'data' events tell that bytes arrive while a message is incomplete (the
 * interceptor API reports whole messages only), and resetting it is the only way to drop a request the client
 * never finishes. grpc-js 1.14 keeps it as `stream` on the call it hands the first interceptor; without it only
 * `requestMs` is enforced and test/unit/grpc/request-deadline.test.ts fails, so an upgrade cannot lose it unnoticed.
 */
export function streamOf(call: grpc.ServerInterceptingCallInterface): http2.ServerHttp2Stream | undefined {
  // node:http2 does not export its stream class to test with instanceof; these are the members used here.
  const stream = (call as unknown as { stream?: Partial<http2.ServerHttp2Stream> }).stream
  return typeof stream?.on === 'function' && typeof stream.off === 'function' && typeof stream.close === 'function' && 'session' in stream
    ? (stream as http2.ServerHttp2Stream)
    : undefined
}

export function requestDeadline(limits: RequestLimits, logger: GrpcLogger): grpc.ServerInterceptor {
  return (method, call) => {
    // grpc-js only needs the interface; passing the call through adds no per-message work to client streams.
    if (method.requestStream) return call as unknown as grpc.ServerInterceptingCall
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        const started = Date.now()
        const deadline = started + limits.requestMs
        const stream = streamOf(call)
        let lastByte = started
        let timer: NodeJS.Timeout | undefined
        const onData = () => {
          lastByte = Date.now()
        }
        const done = () => {
          clearTimeout(timer)
          timer = undefined
          stream?.off('data', onData)
        }
        // One timer per call, re-armed when it fires early, rather than one timer operation per DATA frame.
        const check = () => {
          const now = Date.now()
          const idleLeft = stream ? lastByte + limits.idleMs - now : Infinity
          const totalLeft = deadline - now
          if (idleLeft > 0 && totalLeft > 0) {
            timer = setTimeout(check, Math.min(idleLeft, totalLeft))
            return
          }
          done()
          const why = totalLeft <= 0
            ? `the client did not send the whole request within ${limits.requestMs} ms`
            : `the client sent nothing for ${limits.idleMs} ms`
          logger.debug({ method: method.path, err: why }, 'grpc request timed out before its request arrived')
          call.sendStatus(toGrpcError(new FabrikError('TIMEOUT', why)))
          // The status ends only the server's half: grpc-js then waits for the client to end its own, keeping the
          // stream and the partial message it decoded so far. RFC 9113 §8.1 lets a server that has answered ask the
          // client to stop sending with RST_STREAM NO_ERROR; Node sends it after the status has been flushed.
          stream?.close(http2.constants.NGHTTP2_NO_ERROR)
        }
        // Adding a 'data' listener does not resume the stream: grpc-js paused it explicitly and reads on demand.
        stream?.on('data', onData)
        timer = setTimeout(check, Math.min(stream ? limits.idleMs : Infinity, limits.requestMs))
        next({
          onReceiveHalfClose(nextHalfClose) {
            done()
            nextHalfClose()
          },
          onCancel() {
            done()
          },
        })
      },
    })
  }
}
