import type * as http2 from 'node:http2'
import type * as grpc from '@grpc/grpc-js'

/**
 * HTTP/2 receive window of every stream and every connection of the daemon's gRPC server, instead of Node's 64 KiB.
 *
 * Bazel uploads each output as ByteStream.Write requests of 16 KiB. With 64 KiB windows a client may have only
 * 64 KiB in flight, so the daemon woke for every ~14 KB that arrived and answered with a WINDOW_UPDATE every
 * ~32 KiB: per MiB uploaded, 75 reads, 93 epoll waits and 30 writes (perf stat). With 8 MiB the client sends
 * without waiting, and an upload of 4 MiB blobs in 16 KiB messages took ~30% less daemon time and wall time.
 * Memory stays bounded: the connection window caps what one client can have buffered here, whatever its streams.
 */
export const RECEIVE_WINDOW_BYTES = 8 * 1024 * 1024

interface ServerInternals {
  commonServerOptions?: http2.ServerOptions
  createHttp2Server?: (credentials: unknown) => http2.Http2Server
}

/**
 * Gives `server` receive windows of `bytes`. grpc-js has no server option for it ('grpc-node.flow_control_window'
 * is read by its client only, 1.14), so this sets the SETTINGS it passes to http2.createServer and widens each new
 * session's connection window. Returns false, changing nothing, when this grpc-js lacks either internal;
 * test/unit/grpc/window.test.ts then fails, so an upgrade cannot lose it unnoticed.
 */
export function widenReceiveWindow(server: grpc.Server, bytes = RECEIVE_WINDOW_BYTES): boolean {
  const internals = server as unknown as ServerInternals
  const common = internals.commonServerOptions
  const create = internals.createHttp2Server
  if (common === undefined || typeof create !== 'function') return false
  // Each stream's window, announced in the server's SETTINGS frame.
  common.settings = { ...common.settings, initialWindowSize: bytes }
  internals.createHttp2Server = function createHttp2Server(this: unknown, credentials: unknown): http2.Http2Server {
    const h2 = create.call(this, credentials)
    // The connection's own window is not part of SETTINGS: it grows by a WINDOW_UPDATE this sends at once.
    h2.on('session', (session: http2.ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(bytes)
      } catch {
        // A session already torn down (the peer hung up at once): nothing to widen.
      }
    })
    return h2
  }
  return true
}
