import type { FastifyInstance } from 'fastify'
import { isFabrikError } from '../../errors/registry.js'
import { uploadBody } from '../body.js'
import { sendBlob, sendHead, sendMiss, sendStored } from '../send.js'
import { clientSignal, labelTool, mark, type ToolOptions } from '../track.js'

// Nx self-hosted remote cache (nrwl/nx http_remote_cache.rs, Nx >= 20.8). The client counts ONLY 200 as
// "stored" — the published spec's 202 makes Nx report an error — and reads 409 ("cannot override an existing
// record") as a quiet "not stored", so entries are write-once here. Bearer token accepted and ignored.

const NS = 'nx'

export async function nxPlugin(app: FastifyInstance, opts: ToolOptions): Promise<void> {
  const { store } = opts
  labelTool(app, 'nx', opts.metrics)

  app.get<{ Params: { hash: string } }>('/v1/cache/:hash', async (request, reply) => {
    const result = await store.get(NS, request.params.hash, { signal: clientSignal(reply) })
    if (!result) return sendMiss(request, reply, `nx entry ${request.params.hash}`)
    return sendBlob(request, reply, result)
  })

  // Not used by the client, but cheap, and keeps HEAD from falling through to ccache's catch-all route.
  app.head<{ Params: { hash: string } }>('/v1/cache/:hash', async (request, reply) => sendHead(request, reply, await store.stat(NS, request.params.hash)))

  app.put<{ Params: { hash: string } }>('/v1/cache/:hash', async (request, reply) => {
    const { body, size } = await uploadBody(request, opts.maxBlobBytes)
    try {
      const put = await store.put(NS, request.params.hash, body, { size, overwrite: false, signal: clientSignal(reply) })
      return sendStored(request, reply, put, 200)
    } catch (err) {
      // An existing record is normal for Nx (two agents built the same task): not a failure in /metrics.
      if (isFabrikError(err, 'ALREADY_EXISTS')) mark(request, 'ok')
      throw err
    }
  })
}
