import { randomBytes } from 'node:crypto'
import * as http2 from 'node:http2'

// A gRPC call made by hand over node:http2, so a test decides which bytes of the request are sent — which a grpc-js
// client never lets it do (it sends whole messages).

export const FIND_MISSING = '/build.bazel.remote.execution.v2.ContentAddressableStorage/FindMissingBlobs'

export interface RawCall {
  stream: http2.ClientHttp2Stream
  /** When the server closed the stream, with the grpc-status it sent ('reset' if it sent none). */
  ended: Promise<{ status: string; ms: number }>
}

/**
 * Sends the headers of a call to `path` and then `first` (a length-prefixed message, possibly cut short) without
 * ending the request. `ended` rejects, and the stream is cancelled, if the server keeps the call for `limitMs`.
 */
export function rawUnary(session: http2.ClientHttp2Session, path: string, first: Buffer, limitMs: number): RawCall {
  const started = Date.now()
  const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' })
  stream.write(first)
  const ended = new Promise<{ status: string; ms: number }>((resolve, reject) => {
    let status: string | undefined
    const timer = setTimeout(() => {
      stream.close(http2.constants.NGHTTP2_CANCEL)
      reject(new Error(`the server kept the call open for ${limitMs} ms`))
    }, limitMs)
    const seen = (headers: http2.IncomingHttpHeaders) => {
      const s = headers['grpc-status']
      if (typeof s === 'string') status = s
    }
    stream.on('response', seen)
    stream.on('trailers', seen)
    stream.on('error', () => undefined)
    // Read the answer: a stream left paused never sees its end.
    stream.resume()
    stream.once('close', () => {
      clearTimeout(timer)
      resolve({ status: status ?? 'reset', ms: Date.now() - started })
    })
  })
  return { stream, ended }
}

/** A gRPC message header announcing `length` bytes, followed by `sent` random bytes of them. */
export function partialFrame(length: number, sent: number): Buffer {
  const head = Buffer.alloc(5)
  head.writeUInt32BE(length, 1)
  return Buffer.concat([head, randomBytes(sent)])
}

/** An HTTP/2 session to a gRPC server on 127.0.0.1 whose errors (a reset, a GOAWAY) the test reads from its calls. */
export function rawSession(port: number): http2.ClientHttp2Session {
  const session = http2.connect(`http://127.0.0.1:${port}`)
  session.on('error', () => undefined)
  return session
}
