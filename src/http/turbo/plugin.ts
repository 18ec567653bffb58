import type { FastifyInstance } from 'fastify'
import { FabrikError, isFabrikError } from '../../errors/registry.js'
import type { EntryStat } from '../../store/types.js'
import { uploadBody } from '../body.js'
import { sendBlob, sendHead, sendMiss, sendStored, type ExtraHeaders } from '../send.js'
import { clientSignal, labelTool, mark, type ToolOptions } from '../track.js'
import { countEvents, localHitMs, turboEventsCounter } from './events.js'
import { teamNamespace, type TeamQuery } from './team.js'

// Turborepo remote cache API v8 (crates/turborepo-api-client, turborepo-cache).
// - x-artifact-tag must come back on GET exactly as PUT sent it: with remoteCache.signature turbo verifies it
//   and silently treats a hit without a valid tag as a miss.
// - x-artifact-duration (ms) comes back too; turbo uses it to report time saved.
// - The Bearer token is accepted and ignored: the daemon only listens on loopback.

interface ArtifactRoute {
  Params: { hash: string }
  Querystring: TeamQuery
}

function artifactHeaders(stat: EntryStat): ExtraHeaders {
  return { 'x-artifact-duration': stat.meta.duration, 'x-artifact-tag': stat.meta.tag }
}

function artifactMeta(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const meta: Record<string, string> = {}
  const duration = headers['x-artifact-duration']
  if (typeof duration === 'string' && /^\d{1,15}$/.test(duration)) meta.duration = duration
  const tag = headers['x-artifact-tag']
  if (typeof tag === 'string' && tag !== '') meta.tag = tag
  return meta
}

export async function turboPlugin(app: FastifyInstance, opts: ToolOptions): Promise<void> {
  const { store } = opts
  const events = turboEventsCounter(opts.metrics.registry)
  labelTool(app, 'turbo', opts.metrics)

  app.get('/v8/artifacts/status', async (request) => {
    mark(request, 'ok')
    return { status: 'enabled' }
  })

  app.get<ArtifactRoute>('/v8/artifacts/:hash', async (request, reply) => {
    const { hash } = request.params
    const result = await store.get(teamNamespace(request.query), hash, { signal: clientSignal(reply) })
    if (!result) return sendMiss(request, reply, `turbo artifact ${hash}`)
    // The task's duration turbo sent with the upload: what this hit saved (turbo reports the same as "saved").
    const duration = result.meta.duration
    if (duration !== undefined) request.fabrik.savedMs = Number(duration)
    return sendBlob(request, reply, result, artifactHeaders(result))
  })

  app.head<ArtifactRoute>('/v8/artifacts/:hash', async (request, reply) => {
    const stat = await store.stat(teamNamespace(request.query), request.params.hash)
    return sendHead(request, reply, stat, stat && artifactHeaders(stat))
  })

  app.put<ArtifactRoute>('/v8/artifacts/:hash', async (request, reply) => {
    const { hash } = request.params
    const ns = teamNamespace(request.query)
    const { body, size } = await uploadBody(request, opts.maxBlobBytes)
    const put = await store.put(ns, hash, body, { size, meta: artifactMeta(request.headers), signal: clientSignal(reply) })
    return sendStored(request, reply, put, 200, { urls: [`${ns.slice('turbo.'.length)}/${hash}`] })
  })

  // Vercel's artifact query (turbo itself does not call it): metadata for many hashes at once.
  app.post<{ Querystring: TeamQuery; Body: unknown }>('/v8/artifacts', { config: { jsonBody: true } }, async (request) => {
    const ns = teamNamespace(request.query)
    const hashes = (request.body as { hashes?: unknown } | undefined)?.hashes
    if (!Array.isArray(hashes) || !hashes.every((h) => typeof h === 'string')) {
      throw new FabrikError('INVALID_REQUEST', 'expected a JSON body {"hashes": ["<hash>", ...]}')
    }
    const answer: Record<string, unknown> = {}
    for (const hash of hashes as string[]) {
      try {
        const stat = await store.stat(ns, hash)
        answer[hash] = stat
          ? { size: stat.size, taskDurationMs: Number(stat.meta.duration ?? 0), ...(stat.meta.tag ? { tag: stat.meta.tag } : {}) }
          : { error: { message: 'Artifact not found' } }
      } catch (err) {
        if (!isFabrikError(err, 'INVALID_KEY')) throw err
        answer[hash] = { error: { message: err.message } }
      }
    }
    mark(request, 'ok')
    return answer
  })

  app.post<{ Body: unknown }>('/v8/artifacts/events', { config: { jsonBody: true } }, async (request, reply) => {
    if (!Array.isArray(request.body)) throw new FabrikError('INVALID_REQUEST', 'expected a JSON array of cache events')
    countEvents(events, request.body)
    // Time turbo's own cache saved, recorded with this request (see localHitMs for why REMOTE hits are not).
    const saved = localHitMs(request.body)
    if (saved > 0) request.fabrik.savedMs = saved
    mark(request, 'ok')
    return reply.code(200).send()
  })
}
