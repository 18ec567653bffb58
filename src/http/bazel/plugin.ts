import type { FastifyInstance } from 'fastify'
import { executionMsOf } from '../../grpc/reapi/saved-time.js'
import { EMPTY_SHA256, validateSha256 } from '../../store/keys.js'
import { uploadBody } from '../body.js'
import { sendBlob, sendHead, sendMiss, sendStored } from '../send.js'
import { clientSignal, labelTool, mark, type ToolOptions } from '../track.js'

// Bazel's HTTP remote cache (bazel remote/http): --remote_cache=http://127.0.0.1:PORT, no path prefix.
// GET 200 = hit, 404 = miss; PUT any of 200/201/202/204. Bazel sends no HEAD, no Expect, no chunked bodies.
// - /cas/{sha256}: raw bytes, verified against the hash while streaming (mismatch → 400, nothing stored). It
//   shares the "cas" namespace with the gRPC CAS and `fabrik cas`, so a blob uploaded one way is a hit the other.
// - /ac/{sha256}: serialized ActionResults keyed by action digest (not a content hash), namespace "bazel-ac".
// A bare /ac/<hex> is Bazel's; ccache's "bazel" layout must use a prefix (e.g. /ccache/ac/<hex>).
// - Time saved: an /ac/ upload is decoded once, when it is stored, and the worker time in its execution_metadata
//   kept as the entry's `execution_ms`; a GET hit reports it (the gRPC path reads the same from the result it
//   decodes anyway to check references).

/** Entry metadata: the ms the action ran on its worker, from the ActionResult (see executionMsOf). */
const EXECUTION_MS = 'execution_ms'

const AREAS = { ac: 'bazel-ac', cas: 'cas' } as const
type Area = keyof typeof AREAS

export async function bazelPlugin(app: FastifyInstance, opts: ToolOptions): Promise<void> {
  const { store } = opts
  labelTool(app, 'bazel', opts.metrics)

  for (const area of Object.keys(AREAS) as Area[]) {
    const ns = AREAS[area]
    const url = `/${area}/:hash`

    app.get<{ Params: { hash: string } }>(url, async (request, reply) => {
      const hash = validateSha256(request.params.hash)
      const result = await store.get(ns, hash, { signal: clientSignal(reply) })
      if (result) {
        const saved = result.meta[EXECUTION_MS]
        if (saved !== undefined) request.fabrik.savedMs = Number(saved)
        return sendBlob(request, reply, result)
      }
      // REAPI: the empty blob always exists, stored or not.
      if (area === 'cas' && hash === EMPTY_SHA256) {
        mark(request, 'hit')
        return reply.code(200).header('content-type', 'application/octet-stream').send(Buffer.alloc(0))
      }
      return sendMiss(request, reply, `${area} entry ${hash}`)
    })

    app.head<{ Params: { hash: string } }>(url, async (request, reply) => {
      const hash = validateSha256(request.params.hash)
      return sendHead(request, reply, await store.stat(ns, hash))
    })

    app.put<{ Params: { hash: string } }>(url, async (request, reply) => {
      const hash = validateSha256(request.params.hash)
      const { body, size } = await uploadBody(request, opts.maxBlobBytes)
      // Bazel sends a Content-Length, so an action result (rarely above a few KiB) arrives as one Buffer
      // (uploadBody); a larger one streams to the store undecoded rather than being held whole in memory.
      const ms = area === 'ac' && Buffer.isBuffer(body) ? executionMsOf(body) : undefined
      const meta = ms === undefined ? undefined : { [EXECUTION_MS]: String(ms) }
      const put = await store.put(ns, hash, body, { size, ...(area === 'cas' ? { sha256: hash } : {}), meta, signal: clientSignal(reply) })
      return sendStored(request, reply, put, 200)
    })
  }
}
