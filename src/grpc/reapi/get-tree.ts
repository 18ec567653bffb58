import { FabrikError } from '../../errors/registry.js'
import type { Directory__Output } from '../../generated/build/bazel/remote/execution/v2/Directory.js'
import type { GetTreeRequest__Output } from '../../generated/build/bazel/remote/execution/v2/GetTreeRequest.js'
import type { GetTreeResponse } from '../../generated/build/bazel/remote/execution/v2/GetTreeResponse.js'
import type { GrpcContext } from '../context.js'
import { checkDigestFunction, parseDigest, type BlobDigest } from '../digest.js'
import { serverStream } from '../observe.js'
import { send } from '../streams.js'
import { loadDirectory } from './directories.js'

// GetTree walks the Directory graph breadth-first from the root and streams it in pages. The page token is the
// number of directories already returned in that order, so a retry can skip ahead. Parts of the tree missing
// from the CAS are omitted, as the spec asks; a missing root is NOT_FOUND.

const MAX_PAGE = 1000
// Keeps each response well under gRPC's default 4 MiB message limit on the client.
const MAX_PAGE_BYTES = 2 * 1024 * 1024

function pageStart(token: string): number {
  if (token === '') return 0
  if (!/^\d{1,9}$/.test(token)) throw new FabrikError('INVALID_REQUEST', `invalid page_token ${JSON.stringify(token.slice(0, 40))}`)
  return Number(token)
}

export function getTree(ctx: GrpcContext) {
  return serverStream<GetTreeRequest__Output, GetTreeResponse>(ctx, 'cas', 'GetTree', async (call, tally) => {
    const req = call.request
    checkDigestFunction(req.digest_function)
    const root = parseDigest(req.root_digest, 'root_digest')
    const pageSize = req.page_size > 0 ? Math.min(req.page_size, MAX_PAGE) : MAX_PAGE
    const skip = pageStart(req.page_token)

    const queue: BlobDigest[] = [root]
    const seen = new Set<string>([root.hash])
    let index = 0
    let page: Directory__Output[] = []
    let pageBytes = 0
    for (let q = 0; q < queue.length; q++) {
      const d = queue[q] as BlobDigest
      const dir = await loadDirectory(ctx.store, d)
      if (!dir) {
        if (q === 0) throw new FabrikError('NOT_FOUND', `tree root ${d.hash}/${d.size} is not in the cache`)
        continue
      }
      for (const child of dir.directories) {
        const c = parseDigest(child.digest, `directory ${child.name}`)
        if (!seen.has(c.hash)) {
          seen.add(c.hash)
          queue.push(c)
        }
      }
      if (index++ < skip) continue
      page.push(dir)
      pageBytes += d.size
      tally.bytesOut += d.size
      if (page.length >= pageSize || pageBytes >= MAX_PAGE_BYTES) {
        await send(call, { directories: page, next_page_token: String(index) })
        page = []
        pageBytes = 0
      }
    }
    await send(call, { directories: page, next_page_token: '' })
    tally.outcome = 'hit'
  })
}
