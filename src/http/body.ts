import { Transform, type Readable, type TransformCallback } from 'node:stream'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FabrikError } from '../errors/registry.js'

// Request bodies are never buffered by fastify: one catch-all content-type parser hands the raw request stream
// to the route, which streams it into the store. The only exception is the handful of small JSON endpoints
// (turbo's artifact query and events), marked with `config: { jsonBody: true }`, whose bodies are read here
// with a small limit whatever Content-Type the client sent.

declare module 'fastify' {
  interface FastifyContextConfig {
    jsonBody?: boolean
  }
}

export const JSON_BODY_LIMIT = 1024 * 1024

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (request, payload, done) => {
    if (request.routeOptions.config.jsonBody === true) {
      readJson(payload, JSON_BODY_LIMIT).then(
        (value) => done(null, value),
        (err: Error) => done(err, undefined),
      )
      return
    }
    done(null, payload)
  })
}

export async function readJson(stream: Readable, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new FabrikError('BLOB_TOO_LARGE', `JSON body exceeds ${limit} bytes`)
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown)
  } catch (err) {
    throw new FabrikError('INVALID_REQUEST', `body is not valid JSON: ${(err as Error).message}`)
  }
}

/** Content-Length as a number; undefined for chunked bodies. */
export function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length']
  if (header === undefined || request.headers['transfer-encoding'] !== undefined) return undefined
  const n = Number(header)
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}

export interface UploadBody {
  body: Readable | Buffer
  /** Declared length, passed to the store so a short body is refused (SIZE_MISMATCH). */
  size?: number
}

/**
 * Bodies declared at most this long are read into one Buffer before store.put. Streaming them cost more than the
 * put itself: a Transform, pipeline() and its AbortController, aborted with a DOMException on every finish, were
 * about a third of a 1 KiB PUT's CPU time (bench:http, --cpu-prof).
 */
export const SMALL_BODY_BYTES = 64 * 1024

/** Reads a body of declared length `size` (≤ SMALL_BODY_BYTES); rejects with ABORTED if the client goes away. */
function readSmallBody(raw: IncomingMessage, size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const buf = Buffer.allocUnsafe(size)
    let at = 0
    const onData = (chunk: Buffer) => {
      // The HTTP parser never delivers more than Content-Length; a body that is short never reaches 'end'.
      at += chunk.copy(buf, at)
    }
    const done = () => {
      raw.off('data', onData)
      raw.off('end', onEnd)
      raw.off('close', onClose)
      raw.off('error', onClose)
    }
    const onEnd = () => {
      done()
      resolve(at === size ? buf : buf.subarray(0, at))
    }
    const onClose = () => {
      done()
      reject(new FabrikError('ABORTED', 'the client closed the connection during the upload'))
    }
    raw.on('data', onData)
    raw.once('end', onEnd)
    raw.once('close', onClose)
    raw.once('error', onClose)
  })
}

/**
 * The request body for store.put, limited to `maxBytes`: refused up front when Content-Length says it is too
 * large, else as soon as a chunked body grows past the limit. A small declared body arrives as one Buffer; any
 * other as a stream. The request is piped through a
 * transform rather than handed over directly so that a store failing mid-upload destroys only the transform,
 * not the socket — the client still gets its 4xx (the error handler drains the rest of the body).
 */
export async function uploadBody(request: FastifyRequest, maxBytes: number): Promise<UploadBody> {
  const size = declaredLength(request)
  if (size !== undefined && size > maxBytes) {
    throw new FabrikError('BLOB_TOO_LARGE', `body of ${size} bytes exceeds the limit of ${maxBytes} bytes`)
  }
  const raw = request.raw
  // Gone before the route ran: its 'close' has fired already, and a body that never ends would hold the store's
  // space reservation forever.
  if (raw.destroyed) throw new FabrikError('ABORTED', 'the client closed the connection during the upload')
  if (size !== undefined && size <= SMALL_BODY_BYTES) return { body: await readSmallBody(raw, size), size }
  let seen = 0
  const body = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      seen += chunk.length
      if (seen > maxBytes) cb(new FabrikError('BLOB_TOO_LARGE', `body exceeds the limit of ${maxBytes} bytes`))
      else cb(null, chunk)
    },
  })
  const abort = (): void => {
    if (!raw.complete) body.destroy(new FabrikError('ABORTED', 'the client closed the connection during the upload'))
  }
  raw.once('error', abort)
  raw.once('close', abort)
  raw.pipe(body)
  return size === undefined ? { body } : { body, size }
}

/**
 * Drops whatever is left of a request body. A refused upload may still be arriving: reading it to the end lets
 * the reply reach the client on a keep-alive connection, where a paused, half-read request would hang it.
 * Also used by routes that ignore their body (PROPFIND's XML, MKCOL).
 */
export function discardBody(request: FastifyRequest): void {
  const raw = request.raw
  if (raw.complete || raw.destroyed) return
  raw.unpipe()
  raw.resume()
}
