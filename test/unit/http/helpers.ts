import { createHash } from 'node:crypto'
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { createHttpApp, type HttpAppDeps } from '../../../src/http/app.js'
import { createMetrics, type Metrics } from '../../../src/metrics/metrics.js'
import { MemoryStore } from '../../../src/store/memory.js'
import type { BlobStore } from '../../../src/store/types.js'

// Shared by the HTTP tests: an app over a MemoryStore, and a tiny HTTP client for tests that need a real socket.

export interface TestApp {
  app: FastifyInstance
  store: BlobStore
  metrics: Metrics
}

export async function makeApp(overrides: Partial<HttpAppDeps> = {}): Promise<TestApp> {
  const store = overrides.store ?? new MemoryStore()
  const metrics = overrides.metrics ?? createMetrics({ defaultMetrics: false })
  const app = await createHttpApp({ maxBlobBytes: 1024 * 1024, logger: false, ...overrides, store, metrics })
  return { app, store, metrics }
}

export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return (app.server.address() as AddressInfo).port
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

export async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c)
  return Buffer.concat(chunks)
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** True when the request went over a kept-alive connection that had served an earlier request. */
  reusedSocket: boolean
}

/** One request over a real socket; `body` chunks are written one by one (chunked unless content-length is set). */
export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Iterable<Buffer> | Buffer,
  agent: Agent | false = false,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      readAll(res).then((data) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data, reusedSocket: req.reusedSocket }), reject)
    })
    req.on('error', reject)
    if (body === undefined) req.end()
    else if (Buffer.isBuffer(body)) req.end(body)
    else {
      for (const chunk of body) req.write(chunk)
      req.end()
    }
  })
}

/** The Prometheus text without comments, for asserting on counters. */
export async function scrape(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  return res.body
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
}
