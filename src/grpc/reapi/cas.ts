import { Readable } from 'node:stream'
import { FabrikError } from '../../errors/registry.js'
import type { BatchReadBlobsRequest__Output } from '../../generated/build/bazel/remote/execution/v2/BatchReadBlobsRequest.js'
import type { BatchReadBlobsResponse } from '../../generated/build/bazel/remote/execution/v2/BatchReadBlobsResponse.js'
import type { BatchUpdateBlobsRequest__Output } from '../../generated/build/bazel/remote/execution/v2/BatchUpdateBlobsRequest.js'
import type { BatchUpdateBlobsResponse } from '../../generated/build/bazel/remote/execution/v2/BatchUpdateBlobsResponse.js'
import type { ContentAddressableStorageHandlers } from '../../generated/build/bazel/remote/execution/v2/ContentAddressableStorage.js'
import type { FindMissingBlobsRequest__Output } from '../../generated/build/bazel/remote/execution/v2/FindMissingBlobsRequest.js'
import type { FindMissingBlobsResponse } from '../../generated/build/bazel/remote/execution/v2/FindMissingBlobsResponse.js'
import { NS, type GrpcContext } from '../context.js'
import { checkDigestFunction, isEmptyBlob, parseDigest, toProtoDigest, type BlobDigest } from '../digest.js'
import { rpcStatus } from '../errors.js'
import { unary } from '../observe.js'
import { mapLimit } from '../pool.js'
import { readResult } from '../../store/result.js'
import { zstdDecode } from '../zstd.js'
import { getTree } from './get-tree.js'

// ContentAddressableStorage. Blobs live in the shared "cas" namespace keyed by their SHA-256, whatever the
// instance name: content addressing makes sharing safe, and HTTP /cas and `fabrik cas` see the same blobs.
// Buck2 and Pants move small blobs with the Batch* calls (under max_batch_total_size_bytes); Bazel does not.

const PARALLEL = 16

function tooBig(total: number, ctx: GrpcContext): FabrikError {
  return new FabrikError(
    'INVALID_REQUEST',
    `batch carries ${total} bytes, more than max_batch_total_size_bytes (${ctx.maxBatchBytes}); use ByteStream for large blobs`,
  )
}

export function findMissingBlobs(ctx: GrpcContext) {
  return unary<FindMissingBlobsRequest__Output, FindMissingBlobsResponse>(ctx, 'cas', 'FindMissingBlobs', async (req) => {
    checkDigestFunction(req.digest_function)
    const digests = req.blob_digests.map((d, i) => parseDigest(d, `blob_digests[${i}]`))
    // Index lookups only: never reads a blob body. The empty blob is never missing.
    const present = await mapLimit(digests, 64, (d) => (isEmptyBlob(d) ? Promise.resolve(true) : ctx.store.has(NS.cas, d.hash)))
    const seen = new Set<string>()
    const missing: BlobDigest[] = []
    digests.forEach((d, i) => {
      if (!present[i] && !seen.has(d.hash)) {
        seen.add(d.hash)
        missing.push(d)
      }
    })
    return { missing_blob_digests: missing.map(toProtoDigest) }
  })
}

export function batchUpdateBlobs(ctx: GrpcContext) {
  return unary<BatchUpdateBlobsRequest__Output, BatchUpdateBlobsResponse>(ctx, 'cas', 'BatchUpdateBlobs', async (req, tally) => {
    checkDigestFunction(req.digest_function)
    const total = req.requests.reduce((sum, r) => sum + r.data.length, 0)
    if (total > ctx.maxBatchBytes) throw tooBig(total, ctx)
    tally.bytesIn = total
    const responses = await mapLimit(req.requests, PARALLEL, async (r, i) => {
      try {
        const d = parseDigest(r.digest, `requests[${i}].digest`)
        if (r.compressor !== 'IDENTITY' && r.compressor !== 'ZSTD') {
          throw new FabrikError('INVALID_REQUEST', `compressor ${r.compressor} is not supported for batch uploads`)
        }
        if (!(isEmptyBlob(d) && r.compressor === 'IDENTITY' && r.data.length === 0)) {
          // Every entry goes through the store's verification (a duplicate is verified, then not rewritten).
          const body = r.compressor === 'ZSTD' ? zstdDecode(Readable.from([r.data])) : r.data
          await ctx.store.put(NS.cas, d.hash, body, { size: d.size, sha256: d.hash })
        }
        return { digest: r.digest, status: rpcStatus() }
      } catch (err) {
        return { digest: r.digest, status: rpcStatus(err) }
      }
    })
    tally.outcome = responses.every((r) => r.status.code === 0) ? 'stored' : 'error'
    return { responses }
  })
}

export function batchReadBlobs(ctx: GrpcContext) {
  return unary<BatchReadBlobsRequest__Output, BatchReadBlobsResponse>(ctx, 'cas', 'BatchReadBlobs', async (req, tally) => {
    checkDigestFunction(req.digest_function)
    const total = req.digests.reduce((sum, d) => sum + (Number(d.size_bytes) || 0), 0)
    if (total > ctx.maxBatchBytes) throw tooBig(total, ctx)
    let missing = 0
    const responses = await mapLimit(req.digests, PARALLEL, async (raw, i) => {
      try {
        const d = parseDigest(raw, `digests[${i}]`)
        if (isEmptyBlob(d)) return { digest: raw, data: Buffer.alloc(0), status: rpcStatus() }
        const got = await ctx.store.get(NS.cas, d.hash)
        // A stored blob of another size is not the blob asked for: the size is part of the digest.
        if (!got || got.size !== d.size) {
          got?.stream.destroy()
          missing++
          throw new FabrikError('NOT_FOUND', `blob ${d.hash}/${d.size} is not in the cache`)
        }
        const data = await readResult(got)
        tally.bytesOut += data.length
        // IDENTITY is always acceptable; small batch blobs gain little from compressing them here.
        return { digest: raw, data, compressor: 'IDENTITY' as const, status: rpcStatus() }
      } catch (err) {
        return { digest: raw, status: rpcStatus(err) }
      }
    })
    tally.outcome = missing === 0 ? 'hit' : 'miss'
    return { responses }
  })
}

export function casService(ctx: GrpcContext): ContentAddressableStorageHandlers {
  return {
    FindMissingBlobs: findMissingBlobs(ctx),
    BatchUpdateBlobs: batchUpdateBlobs(ctx),
    BatchReadBlobs: batchReadBlobs(ctx),
    GetTree: getTree(ctx),
  }
}
