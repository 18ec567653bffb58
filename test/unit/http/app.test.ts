import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { pino } from 'pino'
import { ERRORS, FabrikError } from '../../../src/errors/registry.js'
import { HTTP_STATUS } from '../../../src/http/errors.js'
import { hostName } from '../../../src/http/host-guard.js'
import { MemoryStore } from '../../../src/store/memory.js'
import type { BlobStore } from '../../../src/store/types.js'
import { listen, makeApp, type TestApp } from './helpers.js'

describe('host guard (DNS rebinding)', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.app.close()
  })

  for (const host of ['127.0.0.1', '127.0.0.1:7070', 'localhost', 'LOCALHOST:80', '[::1]', '[::1]:7070']) {
    test(`Host "${host}" is served`, async () => {
      const res = await t.app.inject({ method: 'GET', url: '/health', headers: { host } })
      assert.equal(res.statusCode, 200)
    })
  }

  for (const host of ['evil.example', 'evil.example:7070', '127.0.0.1.nip.io', 'localhost.evil.example', '192.168.1.2:7070', '[::2]', 'localhost:abc']) {
    test(`Host "${host}" is refused with 403 HOST_NOT_ALLOWED and nothing is stored`, async () => {
      const res = await t.app.inject({ method: 'PUT', url: '/cache/k', headers: { host }, payload: Buffer.from('x') })
      assert.equal(res.statusCode, 403)
      assert.equal(res.json().code, 'HOST_NOT_ALLOWED')
      assert.equal(await t.store.has('gradle', 'k'), false)
    })
  }

  test('a remembered verdict stays a refusal: the same foreign Host is refused every time, a loopback one served', async () => {
    for (let i = 0; i < 3; i++) {
      const foreign = await t.app.inject({ method: 'GET', url: '/health', headers: { host: 'rebind.example:7070' } })
      assert.equal(foreign.statusCode, 403, `attempt ${i + 1}`)
      const local = await t.app.inject({ method: 'GET', url: '/health', headers: { host: '127.0.0.1:7070' } })
      assert.equal(local.statusCode, 200, `attempt ${i + 1}`)
    }
  })

  test('hostName strips the port and brackets stay on IPv6 names', () => {
    assert.equal(hostName('[::1]:8080'), '[::1]')
    assert.equal(hostName('Localhost:1'), 'localhost')
    assert.equal(hostName('[::1'), undefined)
    assert.equal(hostName(''), undefined)
    assert.equal(hostName(undefined), undefined)
  })

  test('extra allowed hosts can be configured', async () => {
    const { app } = await makeApp({ allowedHosts: ['fabrik.internal'] })
    assert.equal((await app.inject({ method: 'GET', url: '/health', headers: { host: 'fabrik.internal:7070' } })).statusCode, 200)
    assert.equal((await app.inject({ method: 'GET', url: '/health', headers: { host: 'localhost' } })).statusCode, 403)
    await app.close()
  })
})

describe('no CORS', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.app.close()
  })

  const requests = [
    { method: 'OPTIONS', url: '/v8/artifacts/abc?slug=a' },
    { method: 'OPTIONS', url: '/cache/abc' },
    { method: 'OPTIONS', url: '/sccache/x' },
    { method: 'GET', url: '/v8/artifacts/abc?slug=a' },
    { method: 'GET', url: '/health' },
    { method: 'PUT', url: '/v1/cache/abc' },
  ] as const

  for (const r of requests) {
    test(`${r.method} ${r.url} from a web origin carries no Access-Control-* header`, async () => {
      const res = await t.app.inject({
        method: r.method,
        url: r.url,
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
        ...(r.method === 'PUT' ? { payload: Buffer.from('x') } : {}),
      })
      assert.deepEqual(Object.keys(res.headers).filter((h) => h.startsWith('access-control-')), [])
      if (r.method === 'OPTIONS') assert.equal(res.statusCode, 404)
    })
  }
})

describe('size limit on every upload route', () => {
  const routes = [
    { url: '/v8/artifacts/abcd?slug=t', ns: 'turbo.t', key: 'abcd' },
    { url: '/v1/cache/abcd', ns: 'nx', key: 'abcd' },
    { url: '/cache/abcd', ns: 'gradle', key: 'abcd' },
    { url: `/ac/${'a'.repeat(64)}`, ns: 'bazel-ac', key: 'a'.repeat(64) },
    { url: '/ccache/ab/cd', ns: 'ccache', key: 'abcd' },
    { url: '/api/v1/artifacts/abcd', ns: 'metro', key: 'abcd' },
  ]
  for (const r of routes) {
    test(`PUT ${r.url} above the limit is a 413 {code, message, fix} and nothing is stored`, async () => {
      const { app, store } = await makeApp({ maxBlobBytes: 16 })
      const res = await app.inject({ method: 'PUT', url: r.url, payload: Buffer.alloc(17) })
      assert.equal(res.statusCode, 413)
      assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'fix', 'message'])
      assert.equal(res.json().code, 'BLOB_TOO_LARGE')
      assert.equal(res.json().fix, ERRORS.BLOB_TOO_LARGE.fix)
      assert.equal(await store.has(r.ns, r.key), false)
      await app.close()
    })
  }

  test('PUT /sccache/... above the limit is a 413 and nothing is stored', async () => {
    const { app } = await makeApp({ maxBlobBytes: 16 })
    const res = await app.inject({ method: 'PUT', url: '/sccache/a/b/c/abcd', payload: Buffer.alloc(17) })
    assert.equal(res.statusCode, 413)
    assert.equal((await app.inject({ method: 'GET', url: '/sccache/a/b/c/abcd' })).statusCode, 404)
    await app.close()
  })
})

describe('enabled tools', () => {
  test('only the enabled tools get routes', async () => {
    const { app } = await makeApp({ enabled: ['nx'] })
    assert.equal((await app.inject({ method: 'PUT', url: '/v1/cache/abc', payload: Buffer.from('x') })).statusCode, 200)
    const turbo = await app.inject({ method: 'GET', url: '/v8/artifacts/abc?slug=a' })
    assert.equal(turbo.statusCode, 404)
    assert.match(turbo.json().message, /no route/)
    // light-my-request 6.6 (pinned for Node 20: 6.8 needs cookie 2, which needs Node 22) types only the common methods.
    assert.equal((await app.inject({ method: 'PROPFIND' as 'GET', url: '/sccache/' })).statusCode, 404)
    await app.close()
  })
})

class BrokenStore extends MemoryStore {
  override async get(): Promise<undefined> {
    throw new Error('disk on fire')
  }
  override async put(): Promise<never> {
    throw new FabrikError('STORE_IO', 'no space left on device')
  }
}

describe('error handling', () => {
  test('every error kind maps to a 4xx or 5xx status', () => {
    for (const [kind, status] of Object.entries(HTTP_STATUS)) assert.ok(status >= 400 && status < 600, kind)
    assert.equal(HTTP_STATUS.invalid_argument, 400)
    assert.equal(HTTP_STATUS.too_large, 413)
    assert.equal(HTTP_STATUS.already_exists, 409)
  })

  test('an unknown store failure is a logged 500 INTERNAL, never a miss', async () => {
    const lines: string[] = []
    const logger = pino({ level: 'debug' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }))
    const { app } = await makeApp({ store: new BrokenStore() as BlobStore, logger })
    const res = await app.inject({ method: 'GET', url: '/v1/cache/abc' })
    assert.equal(res.statusCode, 500)
    assert.deepEqual(res.json(), { code: 'INTERNAL', message: 'disk on fire', fix: ERRORS.INTERNAL.fix })
    assert.ok(lines.some((l) => l.includes('disk on fire') && l.includes('"level":50')), lines.join('\n'))
    await app.close()
  })

  test('a FabrikError keeps its code: STORE_IO is a 500 with {code, message, fix}', async () => {
    const { app } = await makeApp({ store: new BrokenStore() as BlobStore })
    const res = await app.inject({ method: 'PUT', url: '/cache/abc', payload: Buffer.from('x') })
    assert.equal(res.statusCode, 500)
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'fix', 'message'])
    assert.equal(res.json().code, 'STORE_IO')
    await app.close()
  })

  test('authorization headers never reach the log', async () => {
    const lines: string[] = []
    const logger = pino({ level: 'trace' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }))
    const { app } = await makeApp({ store: new BrokenStore() as BlobStore, logger })
    await app.inject({ method: 'GET', url: '/v1/cache/abc', headers: { authorization: 'Bearer SECRET-TOKEN-123' } })
    await app.inject({ method: 'GET', url: '/cache/abc', headers: { authorization: 'Basic U0VDUkVULVRPS0VOLTEyMw==' } })
    // The child logger redacts even if a future line logs the request headers.
    app.log.info({ headers: { authorization: 'Bearer SECRET-TOKEN-123' } }, 'probe')
    assert.ok(lines.length > 0)
    assert.ok(lines.some((l) => l.includes('[redacted]')))
    assert.equal(lines.filter((l) => l.includes('SECRET-TOKEN-123') || l.includes('U0VDUkVU')).length, 0)
    await app.close()
  })
})

/** A store whose reads never finish on their own: they end only when the request's signal aborts. */
class HangingStore extends MemoryStore {
  aborted = false
  override async get(_ns: string, _key: string, options: { signal?: AbortSignal } = {}): Promise<undefined> {
    await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }))
    this.aborted = true
    return undefined
  }
}

describe('client disconnects', () => {
  test('a client that hangs up while the store is still looking aborts the store call', async () => {
    const store = new HangingStore()
    const { app } = await makeApp({ store })
    const port = await listen(app)
    const req = httpRequest({ host: '127.0.0.1', port, method: 'GET', path: '/v1/cache/slow' })
    req.on('error', () => {})
    req.end()
    await new Promise((r) => setTimeout(r, 50))
    req.destroy()
    for (let i = 0; i < 100 && !store.aborted; i++) await new Promise((r) => setTimeout(r, 10))
    assert.equal(store.aborted, true)
    await app.close()
  })
})

describe('streaming uploads', () => {
  test('a client that disconnects mid-upload stores nothing', async () => {
    const { app, store } = await makeApp()
    const port = await listen(app)
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'PUT', path: '/cache/partial', headers: { 'content-length': '100000' } })
      req.on('error', () => resolve())
      req.write(Buffer.alloc(50000))
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 50)
    })
    await new Promise((r) => setTimeout(r, 50))
    assert.equal(await store.has('gradle', 'partial'), false)
    await app.close()
  })

  test('a body shorter than its Content-Length is never stored', async () => {
    const { app, store } = await makeApp()
    const res = await app.inject({ method: 'PUT', url: '/cache/short', headers: { 'content-length': '10' }, payload: Buffer.from('abc') })
    assert.ok(res.statusCode >= 400)
    assert.equal(await store.has('gradle', 'short'), false)
    await app.close()
  })
})
