import { Readable } from 'node:stream'
import type * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../errors/registry.js'
import type { EntryInfo } from '../generated/fabrik/v1/EntryInfo.js'
import type { FabrikCacheHandlers } from '../generated/fabrik/v1/FabrikCache.js'
import type { GetResponse } from '../generated/fabrik/v1/GetResponse.js'
import type { PutRequest__Output } from '../generated/fabrik/v1/PutRequest.js'
import type { GrpcContext } from '../grpc/context.js'
import { clientStream, serverStream, unary } from '../grpc/observe.js'
import { MAX_CHUNK, Sender, slices } from '../grpc/streams.js'
import type { EntryStat, LocalBlobStore } from '../store/types.js'

// fabrik.v1.FabrikCache: what a daemon's regional layer (src/layers/regional.ts) speaks. Entries are Fabrik's own,
// namespace + key, with the size and SHA-256 recorded beside them so the daemon verifies what it receives; the
// tenant comes from the verified token (TenantStore), never from the request.

const MAX_EXISTS = 10_000

function info(stat: EntryStat | undefined): EntryInfo {
  if (!stat) return { found: false }
  return { found: true, size: stat.size, sha256: stat.sha256, meta: stat.meta, created_at_ms: stat.createdAt }
}

function parseSize(raw: string, what: string): number {
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0) throw new FabrikError('INVALID_REQUEST', `${what} is not a size: ${raw}`)
  return n
}

export function fabrikCacheService(ctx: GrpcContext): FabrikCacheHandlers {
  return {
    Exists: unary(ctx, 'fabrik', 'Exists', async (req, tally) => {
      if (req.entries.length > MAX_EXISTS) throw new FabrikError('INVALID_REQUEST', `at most ${MAX_EXISTS} entries per Exists call`)
      const stats = await Promise.all(req.entries.map((e) => ctx.store.stat(e.namespace, e.key)))
      tally.outcome = stats.some((s) => s !== undefined) ? 'hit' : 'miss'
      return { entries: stats.map(info) }
    }),

    Get: serverStream<import('../generated/fabrik/v1/GetRequest.js').GetRequest__Output, GetResponse>(ctx, 'fabrik', 'Get', async (call, tally) => {
      const got = await ctx.store.get(call.request.namespace, call.request.key)
      if (!got) throw new FabrikError('NOT_FOUND', `${call.request.namespace}/${call.request.key} is not in the cache`)
      tally.outcome = 'hit'
      const sender = new Sender(call as grpc.ServerWritableStream<unknown, GetResponse>)
      await sender.send({ info: info(got) }, 64)
      try {
        if (got.data !== undefined) {
          for (let at = 0; at < got.data.length; at += MAX_CHUNK) {
            const piece = got.data.subarray(at, at + MAX_CHUNK)
            await sender.send({ data: piece }, piece.length)
          }
          tally.bytesOut += got.data.length
          return
        }
        for await (const piece of slices(got.stream)) {
          await sender.send({ data: piece }, piece.length)
          tally.bytesOut += piece.length
        }
      } finally {
        if (got.data === undefined && !got.stream.destroyed) got.stream.destroy()
      }
    }),

    Put: clientStream<PutRequest__Output, import('../generated/fabrik/v1/PutResponse.js').PutResponse>(ctx, 'fabrik', 'Put', async (call, tally) => {
      const messages = call[Symbol.asyncIterator]()
      const first = await messages.next()
      const header = first.done ? undefined : (first.value as PutRequest__Output).header
      if (!header) throw new FabrikError('INVALID_REQUEST', 'the first Put message must be the header')
      const size = parseSize(header.size, 'size')
      // The rest of the call is the body; the store verifies it against size and sha256 before keeping it.
      const body = Readable.from((async function* () {
        for (;;) {
          const next = await messages.next()
          if (next.done) return
          const data = (next.value as PutRequest__Output).data
          if (data === undefined) throw new FabrikError('INVALID_REQUEST', 'a Put message after the header must carry data')
          tally.bytesIn += data.length
          yield data
        }
      })())
      const put = await ctx.store.put(header.namespace, header.key, body, { size, sha256: header.sha256, meta: header.meta })
      tally.outcome = 'stored'
      return { size: put.size, sha256: put.sha256, created: put.created }
    }),

    Delete: unary(ctx, 'fabrik', 'Delete', async (req) => ({ deleted: await ctx.store.delete(req.namespace, req.key) })),

    GetStats: unary(ctx, 'fabrik', 'GetStats', async () => {
      const stats = (ctx.store as Partial<LocalBlobStore>).stats?.()
      return stats ? { entries: stats.entries, bytes: stats.bytes, max_bytes: stats.maxBytes } : {}
    }),
  }
}
