import type { FastifyReply, FastifyRequest } from 'fastify'
import { tokenFromAuthorization } from '../auth/credentials.js'
import { requestPrincipal } from '../auth/tenant.js'
import { requirePermission } from '../auth/verify.js'
import { toFabrikError } from '../errors/registry.js'
import { errorBody, statusOf } from '../http/errors.js'
import type { Authenticator } from './authenticator.js'
import { checkTeamQuery } from './tenant-names.js'

/** Probes and scrapes need no token (load balancers and Prometheus send none); they reveal no cache content. */
const OPEN_PATHS = new Set(['/health', '/ready', '/metrics'])
const READS = new Set(['GET', 'HEAD', 'PROPFIND', 'OPTIONS'])
// POSTs that store nothing: POST /v8/artifacts is Vercel's batch query for which artifacts exist (the hashes go in
// a JSON body, hence POST), and /v8/artifacts/events is turbo's analytics, with no cache content.
const READ_POSTS = new Set(['/v8/artifacts', '/v8/artifacts/events'])

/**
 * fastify onRequest step of `fabrik server`: verifies the token, checks the permission the method needs, refuses a
 * request that names another tenant, and runs the rest of the request inside the principal's scope (TenantStore).
 */
export function httpAuthenticate(auth: Authenticator) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const path = request.url.split('?', 1)[0]!
    if (OPEN_PATHS.has(path)) {
      done()
      return
    }
    auth.principal(tokenFromAuthorization(request.headers.authorization)).then(
      (principal) => {
        const write = !READS.has(request.method) && !(request.method === 'POST' && READ_POSTS.has(path))
        requirePermission(principal, write ? 'cache:write' : 'cache:read')
        checkTeamQuery(principal, request.query as Record<string, unknown> | undefined)
        requestPrincipal.run(principal, done)
      },
      (err: unknown) => refuse(reply, err),
    ).catch((err: unknown) => refuse(reply, err))
  }
}

function refuse(reply: FastifyReply, err: unknown): void {
  if (reply.sent) return
  const e = toFabrikError(err)
  void reply.code(statusOf(e)).type('application/json; charset=utf-8').send(errorBody(e))
}
