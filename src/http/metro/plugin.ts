import type { FastifyInstance } from 'fastify'
import { FabrikError } from '../../errors/registry.js'
import { uploadBody } from '../body.js'
import { sendBlob, sendHead, sendMiss, sendStored } from '../send.js'
import { clientSignal, labelTool, type ToolOptions } from '../track.js'

// Metro (React Native) HttpStore: GET/PUT /api/v1/artifacts/{hex}, upstream Fabrik's route. Metro compresses
// the value itself; we store the bytes as sent. 404 = miss.

const NS = 'metro'
const HEX_RE = /^[0-9a-fA-F]{1,256}$/

function metroKey(hex: string): string {
  if (!HEX_RE.test(hex)) throw new FabrikError('INVALID_KEY', `metro keys are hex strings, got ${JSON.stringify(hex.slice(0, 80))}`)
  return hex.toLowerCase()
}

export async function metroPlugin(app: FastifyInstance, opts: ToolOptions): Promise<void> {
  const { store } = opts
  labelTool(app, 'metro', opts.metrics)

  app.get<{ Params: { hex: string } }>('/api/v1/artifacts/:hex', async (request, reply) => {
    const key = metroKey(request.params.hex)
    const result = await store.get(NS, key, { signal: clientSignal(reply) })
    if (!result) return sendMiss(request, reply, `metro artifact ${key}`)
    return sendBlob(request, reply, result)
  })

  // Not used by the client, but cheap, and keeps HEAD from falling through to ccache's catch-all route.
  app.head<{ Params: { hex: string } }>('/api/v1/artifacts/:hex', async (request, reply) => sendHead(request, reply, await store.stat(NS, metroKey(request.params.hex))))

  app.put<{ Params: { hex: string } }>('/api/v1/artifacts/:hex', async (request, reply) => {
    const key = metroKey(request.params.hex)
    const { body, size } = await uploadBody(request, opts.maxBlobBytes)
    const put = await store.put(NS, key, body, { size, signal: clientSignal(reply) })
    return sendStored(request, reply, put, 200)
  })
}
