import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { FabrikError } from '../errors/registry.js'
import { errorBody } from './errors.js'

// DNS rebinding: a web page on evil.example can re-point its own name at 127.0.0.1 and then talk to the daemon
// from the browser. Its requests still carry "Host: evil.example", so only loopback names are served.

export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]']

/** The host part of a Host header, lowercased, without the port; undefined when malformed. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined
  const value = header.trim().toLowerCase()
  let name = value
  let port = ''
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    if (end < 0) return undefined
    name = value.slice(0, end + 1)
    port = value.slice(end + 1)
  } else {
    const colon = value.indexOf(':')
    if (colon >= 0) {
      name = value.slice(0, colon)
      port = value.slice(colon)
    }
  }
  if (port !== '' && !/^:\d{1,5}$/.test(port)) return undefined
  return name
}

export function isAllowedHost(headers: IncomingHttpHeaders, allowed: readonly string[] | 'any'): boolean {
  if (allowed === 'any') return true
  const name = hostName(headers.host)
  return name !== undefined && allowed.includes(name)
}

export function hostNotAllowed(headers: IncomingHttpHeaders): FabrikError {
  const shown = JSON.stringify(String(headers.host ?? '').slice(0, 80))
  return new FabrikError('HOST_NOT_ALLOWED', `requests for host ${shown} are refused`)
}

/**
 * Part of the app's one onRequest hook (app.ts): answers 403 before any body is read or any route runs, and
 * returns true when it did.
 */
export function hostGuard(allowed: readonly string[] | 'any'): (request: FastifyRequest, reply: FastifyReply) => boolean {
  if (allowed === 'any') return () => false
  const names = allowed.map((h) => h.toLowerCase())
  // Clients send the same one or two Host values on every request ("127.0.0.1:PORT"): remember the verdicts
  // instead of parsing each time. Bounded, so a flood of made-up names cannot grow it.
  const seen = new Map<string, boolean>()
  return function refused(request, reply) {
    const host = request.headers.host
    let ok = host === undefined ? undefined : seen.get(host)
    if (ok === undefined) {
      ok = isAllowedHost(request.headers, names)
      if (host !== undefined) {
        if (seen.size >= 64) seen.clear()
        seen.set(host, ok)
      }
    }
    if (ok) return false
    void reply.code(403).type('application/json; charset=utf-8').header('connection', 'close').send(errorBody(hostNotAllowed(request.headers)))
    return true
  }
}
