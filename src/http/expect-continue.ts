import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { FabrikError } from '../errors/registry.js'
import { errorBody } from './errors.js'
import { hostNotAllowed, isAllowedHost } from './host-guard.js'

// Gradle (with useExpectContinue) and curl send "Expect: 100-continue" and wait before sending the body.
// Node answers 100 by itself unless someone listens for 'checkContinue'; we listen so that an upload that is
// too large — or for a foreign Host — is refused before a single body byte crosses the wire. Everything else
// goes to fastify as a normal request, and gets its 100 Continue only once it has passed the onRequest step
// (app.ts: `fabrik server`'s token check), so a client with a bad token gets its 401 before it sends the body.
// A request refused there never gets a 100, and Node closes its connection after the answer.

const awaitingContinue = new WeakSet<IncomingMessage>()

/** Sends the 100 Continue a request is waiting for, if it is; called once the request may send its body. */
export function sendContinue(req: IncomingMessage, res: ServerResponse): void {
  if (awaitingContinue.delete(req)) res.writeContinue()
}

export function handleExpectContinue(app: FastifyInstance, options: { maxBlobBytes: number; allowedHosts: readonly string[] | 'any' }): void {
  const server = app.server
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = refuse(req, options)
    if (refusal) {
      const [status, err] = refusal
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' })
      res.end(JSON.stringify(errorBody(err)))
      return
    }
    awaitingContinue.add(req)
    server.emit('request', req, res)
  })
}

function refuse(req: IncomingMessage, options: { maxBlobBytes: number; allowedHosts: readonly string[] | 'any' }): [number, FabrikError] | undefined {
  if (!isAllowedHost(req.headers, options.allowedHosts)) return [403, hostNotAllowed(req.headers)]
  const declared = Number(req.headers['content-length'])
  if (req.headers['content-length'] !== undefined && Number.isFinite(declared) && declared > options.maxBlobBytes) {
    return [413, new FabrikError('BLOB_TOO_LARGE', `body of ${declared} bytes exceeds the limit of ${options.maxBlobBytes} bytes`)]
  }
  return undefined
}
