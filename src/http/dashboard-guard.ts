import type { FastifyReply, FastifyRequest } from 'fastify'
import { sameToken } from '../stats/token.js'

// Who may see the dashboard and press its buttons: only the local user, through the URL `fabrik dashboard`
// prints. Another web page open in the same browser must neither read the figures nor press a button:
// - Host must be a loopback name with the daemon's own port (DNS rebinding: a foreign name is refused);
// - the token from the URL is exchanged for an HttpOnly SameSite=Strict cookie, required on every data request.
//   SameSite does not separate ports (127.0.0.1:A and 127.0.0.1:B are one site), so also:
// - Origin, when sent, must be the dashboard's own; it must be sent on a state-changing request; and
//   Sec-Fetch-Site, when sent, must say same-origin for data and actions (an <img>/<script> include from another
//   port sends no Origin but says same-site/cross-site);
// - data answers carry Cross-Origin-Resource-Policy: same-origin and nosniff; no CORS headers are ever sent, and
//   OPTIONS is never routed, so no preflight succeeds.

export const COOKIE_PREFIX = 'fabrik_dashboard_'

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]']

export function cookieName(port: number): string {
  return `${COOKIE_PREFIX}${port}`
}

export function serverPort(request: FastifyRequest): number {
  return request.socket.localPort ?? 0
}

/** The Host header when it names a loopback host with the daemon's port; undefined otherwise. */
export function ownHost(request: FastifyRequest): string | undefined {
  const host = (request.headers.host ?? '').toLowerCase()
  const port = serverPort(request)
  return LOOPBACK.some((name) => host === `${name}:${port}`) ? host : undefined
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

export function hasCookie(request: FastifyRequest, token: string): boolean {
  return sameToken(readCookie(request, cookieName(serverPort(request))), token)
}

export function setSecurityHeaders(reply: FastifyReply): void {
  void reply.headers({
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  })
}

export type Refusal = { status: number; why: string }

/**
 * For data and actions: undefined when the request comes from the dashboard page itself, else why not.
 * `changes` marks a state-changing request, which must carry a matching Origin.
 */
export function refuseData(request: FastifyRequest, token: string, changes: boolean): Refusal | undefined {
  const host = ownHost(request)
  if (host === undefined) return { status: 403, why: 'host' }
  const origin = request.headers.origin
  if (origin !== undefined && origin !== `http://${host}`) return { status: 403, why: 'origin' }
  if (changes && origin === undefined) return { status: 403, why: 'origin missing' }
  const site = request.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin') return { status: 403, why: 'cross-site' }
  if (!hasCookie(request, token)) return { status: 401, why: 'no dashboard cookie' }
  return undefined
}
