import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { uploadBody } from '../body.js'
import { sendBlob, sendHead, sendMiss, sendStored } from '../send.js'
import { clientSignal, labelTool, mark, type ToolOptions } from '../track.js'
import { ccacheKey } from './layout.js'

// ccache remote storage over HTTP: `remote_storage = http://127.0.0.1:PORT/ccache|layout=...`. ccache may use any
// path, so this plugin owns the catch-all route: the router tries it only when no more specific route matches
// (static and parametric routes beat wildcards), i.e. after /v8, /v1/cache, /cache, /ac, /cas, /api/v1,
// /sccache, /health, /ready and /metrics. Hence a prefix (e.g. /ccache) is recommended: with layout=bazel and
// no prefix, ccache's /ac/<hex> is answered by Bazel's route instead (which also works, without HEAD/DELETE).
// GET misses are silent for ccache (any non-2xx); HEAD is sent only when overwriting is disabled.

const NS = 'ccache'

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?')
  return q < 0 ? request.url : request.url.slice(0, q)
}

export async function ccachePlugin(app: FastifyInstance, opts: ToolOptions): Promise<void> {
  const { store } = opts
  labelTool(app, 'ccache', opts.metrics)

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const target = ccacheKey(pathOf(request))
    if (!target) {
      // Not a cache request ("/" itself). The 404 handler's route carries no tool, so it is not counted as ccache.
      reply.callNotFound()
      return reply
    }
    const { key } = target
    switch (request.method) {
      case 'GET': {
        const result = await store.get(NS, key, { signal: clientSignal(reply) })
        return result ? sendBlob(request, reply, result) : sendMiss(request, reply, `ccache entry ${key}`)
      }
      case 'HEAD':
        return sendHead(request, reply, await store.stat(NS, key))
      case 'PUT': {
        const { body, size } = await uploadBody(request, opts.maxBlobBytes)
        const put = await store.put(NS, key, body, { size, signal: clientSignal(reply) })
        return sendStored(request, reply, put, 200)
      }
      default: {
        const deleted = await store.delete(NS, key)
        if (!deleted) return sendMiss(request, reply, `ccache entry ${key}`)
        mark(request, 'ok')
        return reply.code(200).send()
      }
    }
  }

  app.route({ method: ['GET', 'HEAD', 'PUT', 'DELETE'], url: '/*', handler: handle })
}
