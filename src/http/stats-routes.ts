import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { StatsRecorder } from '../stats/recorder.js'

// For `fabrik stats` while the daemon runs: GET /_fabrik/stats?since_ms=… answers the file's figures plus what
// is still in memory; POST /_fabrik/stats/zero resets both (like `ccache -z`). Command-line clients only: a
// browser always sends Sec-Fetch-Site (and Origin on a POST), so any request carrying either is refused — no
// web page can reset the figures. The dashboard has its own, token-protected routes (dashboard.ts).

function fromBrowser(request: FastifyRequest): boolean {
  return request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined
}

function refuse(reply: FastifyReply) {
  return reply.code(403).type('application/json; charset=utf-8').send({ code: 'FORBIDDEN', message: 'not for browsers; use the dashboard' })
}

export async function statsRoutes(app: FastifyInstance, o: { stats: StatsRecorder }): Promise<void> {
  app.get<{ Querystring: { since_ms?: string } }>('/_fabrik/stats', async (request, reply) => {
    if (fromBrowser(request)) return refuse(reply)
    const since = Number(request.query.since_ms ?? 0)
    return o.stats.report(Number.isFinite(since) ? since : 0)
  })
  app.post('/_fabrik/stats/zero', async (request, reply) => {
    if (fromBrowser(request)) return refuse(reply)
    o.stats.zero()
    return { zeroed: true }
  })
}
