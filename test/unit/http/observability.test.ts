import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { LocalBlobStore, StoreStats } from '../../../src/store/types.js'
import { MemoryStore } from '../../../src/store/memory.js'
import { makeApp, scrape } from './helpers.js'

describe('health, readiness and metrics', () => {
  test('GET /health answers ok with the uptime', async () => {
    const { app } = await makeApp()
    const res = await app.inject({ method: 'GET', url: '/health' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().status, 'ok')
    assert.equal(typeof res.json().uptime_s, 'number')
    await app.close()
  })

  test('GET /ready is 200 by default and 503 while the daemon is not ready', async () => {
    let ready = false
    const { app } = await makeApp({ ready: () => ready })
    const notYet = await app.inject({ method: 'GET', url: '/ready' })
    assert.equal(notYet.statusCode, 503)
    assert.equal(notYet.json().code, 'UNAVAILABLE')
    ready = true
    assert.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200)
    await app.close()
  })

  test('GET /metrics is Prometheus text with requests by tool and outcome, bytes and latency', async () => {
    const { app } = await makeApp()
    await app.inject({ method: 'PUT', url: '/cache/k1', payload: Buffer.from('12345') })
    await app.inject({ method: 'GET', url: '/cache/k1' })
    await app.inject({ method: 'GET', url: '/cache/k2' })
    await app.inject({ method: 'PUT', url: '/cache/a..b', payload: Buffer.from('x') })
    const res = await app.inject({ method: 'GET', url: '/metrics' })
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/)
    const text = await scrape(app)
    assert.match(text, /fabrik_requests_total\{protocol="http",tool="gradle",method="PUT",outcome="stored"\} 1/)
    assert.match(text, /fabrik_requests_total\{protocol="http",tool="gradle",method="GET",outcome="hit"\} 1/)
    assert.match(text, /fabrik_requests_total\{protocol="http",tool="gradle",method="GET",outcome="miss"\} 1/)
    assert.match(text, /fabrik_requests_total\{protocol="http",tool="gradle",method="PUT",outcome="error"\} 1/)
    assert.match(text, /fabrik_bandwidth_bytes_total\{tool="gradle",direction="in"\} 5/)
    assert.match(text, /fabrik_bandwidth_bytes_total\{tool="gradle",direction="out"\} 5/)
    assert.match(text, /fabrik_request_duration_seconds_count\{protocol="http",tool="gradle",method="GET"\} 2/)
    // /metrics, /health and /ready are not cache requests and are not counted as such.
    assert.doesNotMatch(text, /outcome="ok"/)
    await app.close()
  })

  test('requests refused for their Host, the bare root and unrouted paths are counted as no tool\'s', async () => {
    const { app } = await makeApp()
    const foreign = await app.inject({ method: 'GET', url: '/cache/k1', headers: { host: 'evil.example' } })
    assert.equal(foreign.statusCode, 403)
    assert.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 404) // ccache's catch-all hands it on
    assert.equal((await app.inject({ method: 'POST', url: '/nowhere' })).statusCode, 404)
    await app.inject({ method: 'GET', url: '/cache/k1' })
    const text = await scrape(app)
    assert.match(text, /fabrik_requests_total\{protocol="http",tool="gradle",method="GET",outcome="miss"\} 1/)
    assert.doesNotMatch(text, /outcome="error"/)
    assert.doesNotMatch(text, /tool="ccache"/)
    await app.close()
  })

  test('store bytes, object count and evictions are exported when the store is a local store', async () => {
    const stats: StoreStats = { entries: 3, bytes: 300, maxBytes: 1000, evictions: 2, byNamespace: {} }
    const store = Object.assign(new MemoryStore(), { list: () => [], stats: () => stats }) as unknown as LocalBlobStore
    const { app, metrics } = await makeApp({ store })
    const text = await scrape(app)
    assert.match(text, /fabrik_store_bytes 300/)
    assert.match(text, /fabrik_store_objects 3/)
    assert.match(text, /fabrik_evictions_total 2/)
    await app.close()
    // A second app over the same registry does not register the gauges twice.
    const again = await makeApp({ store, metrics })
    await again.app.close()
  })

  test('a chain store can name the local store whose figures are exported', async () => {
    const stats: StoreStats = { entries: 7, bytes: 700, maxBytes: 1000, evictions: 0, byNamespace: {} }
    const localStore = Object.assign(new MemoryStore(), { list: () => [], stats: () => stats }) as unknown as LocalBlobStore
    const { app } = await makeApp({ store: new MemoryStore(), localStore })
    assert.match(await scrape(app), /fabrik_store_objects 7/)
    await app.close()
  })
})
