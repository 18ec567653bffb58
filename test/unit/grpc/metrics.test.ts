import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { chunked, codeOf, digestOf, randomBytes, readBlob, rpc, sha256, startServer, writeRequests, type Harness } from './helpers.js'

describe('gRPC observability', () => {
  let h: Harness
  before(async () => {
    h = await startServer({ xcode: true })
  })
  after(() => h.close())

  const value = async (name: string, labels: Record<string, string>) => {
    const metric = await h.metrics.registry.getSingleMetric(name)?.get()
    const found = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
    return found?.value ?? 0
  }

  it('counts requests by service, method and outcome, with bytes and latency, in the shared registry', async () => {
    const data = randomBytes(70_000, 1)
    await writeRequests(h.clients.bytestream, chunked(`uploads/m/blobs/${sha256(data)}/${data.length}`, data))
    await readBlob(h.clients.bytestream, `blobs/${sha256(data)}/${data.length}`)
    await codeOf(readBlob(h.clients.bytestream, `blobs/${sha256('absent')}/6`))
    await codeOf(readBlob(h.clients.bytestream, 'not-a-name'))
    await rpc((cb) => h.clients.cas.FindMissingBlobs({ blob_digests: [digestOf('x')] }, cb))
    await rpc((cb) => h.clients.kv.GetValue({ key: Buffer.from('k') }, cb))

    const req = (tool: string, method: string, outcome: string) => value('fabrik_requests_total', { protocol: 'grpc', tool, method, outcome })
    assert.equal(await req('bytestream', 'Write', 'stored'), 1)
    assert.equal(await req('bytestream', 'Read', 'hit'), 1)
    assert.equal(await req('bytestream', 'Read', 'miss'), 1)
    assert.equal(await req('bytestream', 'Read', 'error'), 1)
    assert.equal(await req('cas', 'FindMissingBlobs', 'ok'), 1)
    assert.equal(await req('xcode-kv', 'GetValue', 'miss'), 1)
    assert.equal(await value('fabrik_bandwidth_bytes_total', { tool: 'bytestream', direction: 'in' }), data.length)
    assert.equal(await value('fabrik_bandwidth_bytes_total', { tool: 'bytestream', direction: 'out' }), data.length)
    const text = await h.metrics.registry.metrics()
    assert.match(text, /fabrik_request_duration_seconds_count\{protocol="grpc",tool="bytestream",method="Read"\} 3/)
  })
})
