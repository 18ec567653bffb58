import type { FastifyInstance } from 'fastify'
import { uploadBody } from '../body.js'
import { sendBlob, sendHead, sendMiss, sendStored } from '../send.js'
import { clientSignal, labelTool, type ToolOptions } from '../track.js'

// Gradle HTTP build cache (gradle/gradle build-cache-http), configured with url 'http://127.0.0.1:PORT/cache/'.
// Gradle is strict about statuses: 2xx = hit/stored, 404 = miss, 413 = entry too large (skipped); anything
// else disables the remote cache for the rest of the build and 400/401/403/405/... are fatal. So misses are
// plain 404s and oversized uploads 413 — checked against Content-Length before the body is read, and refused
// before "100 Continue" when Gradle sends Expect (see expect-continue.ts). Basic auth accepted and ignored.
// The Accept header (artifact v1 on Gradle 4.x, v2 later) does not change the bytes, so it is not checked.

const NS = 'gradle'

export async function gradlePlugin(app: FastifyInstance, opts: ToolOptions): Promise<void> {
  const { store } = opts
  labelTool(app, 'gradle', opts.metrics)

  app.get<{ Params: { key: string } }>('/cache/:key', async (request, reply) => {
    const result = await store.get(NS, request.params.key, { signal: clientSignal(reply) })
    if (!result) return sendMiss(request, reply, `gradle entry ${request.params.key}`)
    return sendBlob(request, reply, result)
  })

  // Not used by the client, but cheap, and keeps HEAD from falling through to ccache's catch-all route.
  app.head<{ Params: { key: string } }>('/cache/:key', async (request, reply) => sendHead(request, reply, await store.stat(NS, request.params.key)))

  app.put<{ Params: { key: string } }>('/cache/:key', async (request, reply) => {
    const { body, size } = await uploadBody(request, opts.maxBlobBytes)
    const put = await store.put(NS, request.params.key, body, { size, signal: clientSignal(reply) })
    return sendStored(request, reply, put, 200)
  })
}
