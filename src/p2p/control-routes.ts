import type { FastifyPluginAsync } from 'fastify'
import { CONTROL_HEADER, tokenMatches } from './control-token.js'
import type { P2PControl } from './control.js'

// /_fabrik/p2p/* on the daemon's loopback HTTP app: what `fabrik p2p list|status|approve|deny|clear` call.
// Static routes, so they win over the ccache catch-all; every one needs the control token.

export interface ControlRouteOptions {
  control: P2PControl
  token: string
}

export const p2pControlRoutes: FastifyPluginAsync<ControlRouteOptions> = async (app, { control, token }) => {
  app.addHook('onRequest', async (request, reply) => {
    if (!tokenMatches(token, request.headers[CONTROL_HEADER])) {
      return reply.code(401).send({ code: 'UNAUTHENTICATED', message: `the ${CONTROL_HEADER} header is missing or wrong` })
    }
  })
  app.get('/_fabrik/p2p/status', async () => control.status())
  app.get('/_fabrik/p2p/peers', async () => control.list())
  app.post('/_fabrik/p2p/approve', { config: { jsonBody: true } }, async (request, reply) => {
    const { peer, permanent } = (request.body ?? {}) as { peer?: unknown; permanent?: unknown }
    if (typeof peer !== 'string' || peer === '') return reply.code(400).send({ code: 'USAGE', message: 'body must be {"peer": "<machine id or hostname>"}' })
    return control.decide(peer, 'approved', permanent === true)
  })
  app.post('/_fabrik/p2p/deny', { config: { jsonBody: true } }, async (request, reply) => {
    const { peer } = (request.body ?? {}) as { peer?: unknown }
    if (typeof peer !== 'string' || peer === '') return reply.code(400).send({ code: 'USAGE', message: 'body must be {"peer": "<machine id or hostname>"}' })
    return control.decide(peer, 'denied', true)
  })
  app.post('/_fabrik/p2p/clear', async () => control.clear())
}
