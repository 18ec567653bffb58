import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EntryStat, GetResult, PutResult } from '../store/types.js'
import { readResult } from '../store/result.js'
import { mark } from './track.js'

// The few ways a cache route answers, shared so every tool sends blobs the same way: streamed (never buffered)
// with an exact Content-Length, misses as 404, and the outcome recorded for /metrics.

export type ExtraHeaders = Record<string, string | undefined>

function setHeaders(reply: FastifyReply, headers: ExtraHeaders): void {
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) void reply.header(name, value)
}

/**
 * Entries up to this size are read from the store and written in one piece: piping a stream costs a writev per
 * response plus stream bookkeeping, which dominated small hits (a 1 KiB GET ran at a fifth of a plain server's
 * rate). The memory this takes per request is bounded by the constant, so larger entries are always streamed.
 */
export const SMALL_BLOB_BYTES = 64 * 1024

/** 200 with the stored bytes, streamed from the store (small entries in one write), with exact Content-Length. */
export function sendBlob(request: FastifyRequest, reply: FastifyReply, result: GetResult, headers?: ExtraHeaders): FastifyReply | Promise<FastifyReply> {
  mark(request, 'hit', { out: result.size })
  if (headers) setHeaders(reply, headers)
  void reply.code(200).header('content-type', 'application/octet-stream').header('content-length', String(result.size))
  // Bytes the store already holds in memory go out in this tick, without a stream or an await.
  if (result.data !== undefined) return reply.send(result.data)
  if (result.size <= SMALL_BLOB_BYTES) return readResult(result).then((bytes) => reply.send(bytes))
  return reply.send(result.stream)
}

/** HEAD: the headers a GET would send, no body. */
export function sendHead(request: FastifyRequest, reply: FastifyReply, stat: EntryStat | undefined, headers: ExtraHeaders = {}): FastifyReply {
  if (stat === undefined) {
    mark(request, 'miss')
    return reply.code(404).send()
  }
  mark(request, 'hit')
  setHeaders(reply, headers)
  return reply.code(200).header('content-type', 'application/octet-stream').header('content-length', String(stat.size)).send()
}

export function sendMiss(request: FastifyRequest, reply: FastifyReply, what: string): FastifyReply {
  mark(request, 'miss')
  if (request.method === 'HEAD') return reply.code(404).send()
  return reply.code(404).send({ code: 'NOT_FOUND', message: `${what} is not in the cache` })
}

/** A completed upload; `body` for protocols that answer with JSON, else an empty reply. */
export function sendStored(request: FastifyRequest, reply: FastifyReply, put: PutResult, status = 200, body?: unknown): FastifyReply {
  mark(request, 'stored', { in: put.size })
  return body === undefined ? reply.code(status).send() : reply.code(status).send(body)
}
