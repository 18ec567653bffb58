import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { FabrikError } from '../../errors/registry.js'
import { discardBody, uploadBody } from '../body.js'
import { sendBlob, sendHead, sendMiss, sendStored } from '../send.js'
import { clientSignal, labelTool, mark, type ToolOptions } from '../track.js'
import { multistatus } from './multistatus.js'
import { parseRange } from './range.js'

// sccache's WebDAV backend (mozilla/sccache via Apache OpenDAL), served under /sccache/:
//   SCCACHE_WEBDAV_ENDPOINT=http://127.0.0.1:PORT/sccache/
// Objects live at {endpoint}{key_prefix}/{k0}/{k1}/{k2}/{key}. Before each write OpenDAL PROPFINDs (Depth: 0)
// the parent directories and MKCOLs the missing ones. Directories here are virtual: every directory exists
// (PROPFIND on a path ending in "/" is always a 207 collection), so OpenDAL stops at the first PROPFIND and
// MKCOL is a no-op 201. At startup sccache GETs `.sccache_check` (404 is fine) and PUTs "Hello, World!" to it;
// if that write fails it runs read-only.
// An object's key is "<first 16 hex of sha256(directory path)>-<file name>", so two key prefixes (two
// SCCACHE_WEBDAV_KEY_PREFIX values) never share entries, yet keys stay readable in `fabrik cas list`.

export const SCCACHE_PREFIX = '/sccache'
const NS = 'sccache'

interface DavPath {
  /** Path as requested, for the multistatus href. */
  href: string
  /** A directory: ends with "/" or is the endpoint itself. */
  collection: boolean
  key?: string
}

function davPath(request: FastifyRequest): DavPath {
  const q = request.url.indexOf('?')
  const href = q < 0 ? request.url : request.url.slice(0, q)
  const wild = (request.params as { '*'?: string })['*'] ?? ''
  const segments = wild.split('/').filter((s) => s !== '')
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new FabrikError('INVALID_KEY', `path ${JSON.stringify(wild.slice(0, 80))} may not contain "." or ".." segments`)
  }
  const name = segments.pop()
  if (name === undefined || href.endsWith('/')) return { href, collection: true }
  const dir = createHash('sha256').update(segments.join('/')).digest('hex').slice(0, 16)
  return { href, collection: false, key: `${dir}-${name}` }
}

function objectKey(path: DavPath): string {
  if (path.key === undefined) throw new FabrikError('INVALID_KEY', `${path.href} is a directory, not an object`)
  return path.key
}

export async function sccachePlugin(app: FastifyInstance, opts: ToolOptions): Promise<void> {
  const { store } = opts
  labelTool(app, 'sccache', opts.metrics)

  async function get(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const key = objectKey(davPath(request))
    const rangeHeader = request.headers.range
    if (rangeHeader === undefined) {
      const result = await store.get(NS, key, { signal: clientSignal(reply) })
      return result ? sendBlob(request, reply, result) : sendMiss(request, reply, `sccache object ${key}`)
    }
    const stat = await store.stat(NS, key)
    if (!stat) return sendMiss(request, reply, `sccache object ${key}`)
    const range = parseRange(rangeHeader, stat.size)
    if (range === 'unsatisfiable') {
      mark(request, 'error')
      return reply.code(416).header('content-range', `bytes */${stat.size}`).send({ code: 'INVALID_REQUEST', message: `range ${rangeHeader} is outside the ${stat.size}-byte object` })
    }
    const result = await store.get(NS, key, { ...range, signal: clientSignal(reply) })
    if (!result) return sendMiss(request, reply, `sccache object ${key}`)
    if (!range) return sendBlob(request, reply, result)
    mark(request, 'hit', { out: range.length })
    return reply
      .code(206)
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(range.length))
      .header('content-range', `bytes ${range.offset}-${range.offset + range.length - 1}/${stat.size}`)
      .send(result.stream)
  }

  async function propfind(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    discardBody(request) // OpenDAL sends <allprop/>; every answer lists the same few properties
    const path = davPath(request)
    const now = new Date()
    if (path.collection) {
      mark(request, 'ok')
      return reply.code(207).type('application/xml; charset=utf-8').send(multistatus([{ href: path.href, collection: true, modified: now }]))
    }
    const stat = await store.stat(NS, objectKey(path))
    if (!stat) return sendMiss(request, reply, `sccache object ${path.href}`)
    mark(request, 'hit')
    const entry = { href: path.href, collection: false, size: stat.size, modified: new Date(stat.createdAt) }
    return reply.code(207).type('application/xml; charset=utf-8').send(multistatus([entry]))
  }

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    switch (request.method) {
      case 'GET':
        return get(request, reply)
      case 'HEAD':
        return sendHead(request, reply, await store.stat(NS, objectKey(davPath(request))))
      case 'PUT': {
        const key = objectKey(davPath(request))
        const { body, size } = await uploadBody(request, opts.maxBlobBytes)
        const put = await store.put(NS, key, body, { size, signal: clientSignal(reply) })
        return sendStored(request, reply, put, 201)
      }
      case 'PROPFIND':
        return propfind(request, reply)
      case 'MKCOL':
        discardBody(request)
        davPath(request)
        mark(request, 'ok')
        return reply.code(201).send()
      default: {
        const deleted = await store.delete(NS, objectKey(davPath(request)))
        if (!deleted) return sendMiss(request, reply, `sccache object ${request.url}`)
        mark(request, 'ok')
        return reply.code(204).send()
      }
    }
  }

  const methods = ['GET', 'HEAD', 'PUT', 'DELETE', 'PROPFIND', 'MKCOL']
  app.route({ method: methods, url: SCCACHE_PREFIX, handler: handle })
  app.route({ method: methods, url: `${SCCACHE_PREFIX}/*`, handler: handle })
}
