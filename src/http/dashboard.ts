import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ServerResponse } from 'node:http'
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from '../stats/page.js'
import type { StatsRecorder } from '../stats/recorder.js'
import { startOfToday } from '../stats/open.js'
import { sameToken } from '../stats/token.js'
import type { PeersProvider } from '../stats/types.js'
import { cookieName, hasCookie, ownHost, refuseData, serverPort, setSecurityHeaders } from './dashboard-guard.js'

// The local dashboard: GET /_fabrik/dashboard?token=… sets the cookie and redirects to the bare URL (the token
// leaves the address bar and the history); the page then reads /_fabrik/api/state and follows
// /_fabrik/api/events (server-sent events, one state per second); Approve/Deny POST to /_fabrik/api/peers/….
// No external assets, no framework. Security rules: dashboard-guard.ts.

export interface DashboardOptions {
  token: string
  /** Absent when statistics are off (`observability.stats = false`): the page shows layers and peers only. */
  stats?: StatsRecorder
  peers: PeersProvider
  /** The daemon's /health figures (layers, queue, peers). */
  health: () => Promise<Record<string, unknown>>
  /** How often the event stream sends the state; default 1 s. */
  intervalMs?: number
}

export async function dashboardPlugin(app: FastifyInstance, o: DashboardOptions): Promise<void> {
  const streams = new Set<ServerResponse>()
  app.addHook('preClose', (done) => {
    for (const res of streams) res.end()
    streams.clear()
    done()
  })

  async function state(): Promise<Record<string, unknown>> {
    const health = await o.health()
    const latency = o.stats?.layerLatency() ?? {}
    const layers = ((health.layers as Record<string, unknown>[] | undefined) ?? []).map((l) => ({ ...l, latency_ms: latency[l.name as string] ?? null }))
    return {
      now: new Date().toISOString(),
      today: o.stats?.report(startOfToday()) ?? null,
      recent: o.stats?.recent(20) ?? [],
      layers,
      uploads_pending: health.uploads_pending ?? 0,
      store: health.store ?? null,
      peers: await o.peers.list(),
    }
  }

  const refuse = (reply: FastifyReply, status: number, why: string) => {
    setSecurityHeaders(reply)
    return reply.code(status).type('text/plain; charset=utf-8').send(`refused: ${why}\n`)
  }

  app.get<{ Querystring: { token?: string } }>('/_fabrik/dashboard', async (request, reply) => {
    const host = ownHost(request)
    if (host === undefined) return refuse(reply, 403, 'host')
    const given = request.query.token
    if (given !== undefined) {
      if (!sameToken(given, o.token)) return refuse(reply, 401, 'wrong or old token; run `fabrik dashboard` again')
      setSecurityHeaders(reply)
      return reply
        .header('set-cookie', `${cookieName(serverPort(request))}=${encodeURIComponent(o.token)}; HttpOnly; SameSite=Strict; Path=/_fabrik`)
        .redirect('/_fabrik/dashboard', 303)
    }
    if (!hasCookie(request, o.token)) return refuse(reply, 401, 'open the dashboard with `fabrik dashboard`')
    setSecurityHeaders(reply)
    return reply.type('text/html; charset=utf-8').send(DASHBOARD_HTML)
  })

  // The page's own script and style: not secret, but same-origin only like the rest.
  app.get('/_fabrik/dashboard.js', async (request, reply) => {
    if (ownHost(request) === undefined) return refuse(reply, 403, 'host')
    setSecurityHeaders(reply)
    return reply.type('text/javascript; charset=utf-8').send(DASHBOARD_JS)
  })
  app.get('/_fabrik/dashboard.css', async (request, reply) => {
    if (ownHost(request) === undefined) return refuse(reply, 403, 'host')
    setSecurityHeaders(reply)
    return reply.type('text/css; charset=utf-8').send(DASHBOARD_CSS)
  })

  app.get('/_fabrik/api/state', async (request, reply) => {
    const no = refuseData(request, o.token, false)
    if (no) return refuse(reply, no.status, no.why)
    setSecurityHeaders(reply)
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(await state()))
  })

  app.get('/_fabrik/api/events', async (request, reply) => {
    const no = refuseData(request, o.token, false)
    if (no) return refuse(reply, no.status, no.why)
    setSecurityHeaders(reply)
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    })
    streams.add(res)
    let sending = false
    const send = async () => {
      if (sending) return
      sending = true
      try {
        res.write(`data: ${JSON.stringify(await state())}\n\n`)
      } catch {
        // The next tick tries again; a closed stream is cleaned up below.
      } finally {
        sending = false
      }
    }
    const timer = setInterval(() => void send(), o.intervalMs ?? 1000)
    res.on('close', () => {
      clearInterval(timer)
      streams.delete(res)
    })
    void send()
  })

  app.post<{ Params: { id: string; decision: string } }>('/_fabrik/api/peers/:id/:decision', { config: { jsonBody: true } }, async (request, reply) => {
    const no = refuseData(request, o.token, true)
    if (no) return refuse(reply, no.status, no.why)
    // A JSON content type cannot be sent cross-origin without a preflight, which is never answered.
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return refuse(reply, 415, 'expected application/json')
    const { id, decision } = request.params
    if (decision !== 'approve' && decision !== 'deny') return refuse(reply, 404, 'unknown decision')
    setSecurityHeaders(reply)
    try {
      await o.peers.decide(id, decision)
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode ?? 500
      return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify({ message: err instanceof Error ? err.message : String(err) }))
    }
    return reply.type('application/json; charset=utf-8').send(JSON.stringify({ id, decision }))
  })
}
