import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { FabrikError, toFabrikError, type ErrorCode, type ErrorKind } from '../errors/registry.js'
import { discardBody } from './body.js'

// The one map from an error's kind to an HTTP status, used by the one error handler below. Plugins throw
// FabrikErrors and never pick statuses themselves, so INVALID_KEY is a 400 on every tool's route.
export const HTTP_STATUS: Record<ErrorKind, number> = {
  usage: 400,
  invalid_argument: 400,
  not_found: 404,
  // Nx reads 409 as "cannot override an existing record" and carries on without storing.
  already_exists: 409,
  // Gradle reads 413 as "too large" and skips just that entry instead of disabling the remote cache.
  too_large: 413,
  out_of_range: 416,
  // RFC 4918 Insufficient Storage: the disk is full, which a client must be able to tell from a bug (500).
  insufficient_storage: 507,
  unauthenticated: 401,
  permission_denied: 403,
  failed_precondition: 412,
  // Clients retry 503; an aborted request usually has nobody left to read the answer anyway.
  unavailable: 503,
  aborted: 503,
  timeout: 408,
  config: 500,
  internal: 500,
}

export interface ErrorBody {
  code: string
  message: string
  /** The registry's suggested fix, so a user reading a tool's log of the body knows what to do (e.g. free disk space). */
  fix: string
}

/** Fastify's own 4xx errors (bad media type, malformed URL...) keep their status under a Fabrik code. */
function fromFastify(err: FastifyError): FabrikError | undefined {
  const status = err.statusCode
  if (status === undefined || status < 400 || status >= 500) return undefined
  const code: ErrorCode = status === 413 ? 'BLOB_TOO_LARGE' : status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST'
  return new FabrikError(code, err.message, { cause: err })
}

export function statusOf(err: FabrikError): number {
  return HTTP_STATUS[err.kind]
}

export function errorBody(err: FabrikError): ErrorBody {
  return { code: err.code, message: err.message, fix: err.fix }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const err = raw instanceof FabrikError ? raw : (fromFastify(raw) ?? toFabrikError(raw))
    const status = statusOf(err)
    if (request.fabrik && request.fabrik.outcome === undefined) request.fabrik.outcome = 'error'
    discardBody(request)
    // A full disk is logged once by the store when it fills up (and when it has room again), not per request.
    if (status >= 500 && err.code !== 'ABORTED' && err.kind !== 'insufficient_storage') request.log.error({ err: raw, code: err.code }, 'request failed')
    else request.log.debug({ code: err.code, status }, err.message)
    // A client that went away mid-upload cannot read an answer; a half-written reply cannot change status.
    if (reply.sent || reply.raw.headersSent || reply.raw.destroyed) return
    void reply.code(status).type('application/json; charset=utf-8').send(errorBody(err))
  })

  app.setNotFoundHandler((request, reply) => {
    // No route here: preflight OPTIONS requests land here too and get no Access-Control-* headers.
    void reply.code(404).send(errorBody(new FabrikError('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`)))
  })
}
