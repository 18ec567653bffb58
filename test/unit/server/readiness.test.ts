import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { FaultyS3, S3_KEY, S3rverProcess } from '../../helpers/s3.js'
import { startServer, type TestServer } from './helpers.js'

const BUCKET = 'ready-bucket'

async function readyStatus(s: TestServer): Promise<number> {
  const res = await fetch(`${s.http}/ready`)
  await res.arrayBuffer()
  return res.status
}

/** Polls /ready until it answers `status`; returns how long that took. Bounded by `timeoutMs`. */
async function untilReady(s: TestServer, status: number, timeoutMs: number): Promise<number> {
  const started = Date.now()
  let last = 0
  while (Date.now() - started < timeoutMs) {
    last = await readyStatus(s)
    if (last === status) return Date.now() - started
    await new Promise((r) => setTimeout(r, 100))
  }
  const health = await (await fetch(`${s.http}/health`)).json()
  throw new Error(`/ready answered ${last}, not ${status}, for ${timeoutMs} ms; /health: ${JSON.stringify(health)}`)
}

describe('fabrik server /ready probes its store and S3 itself', () => {
  let s3: S3rverProcess
  let proxy: FaultyS3
  const servers: TestServer[] = []
  before(async () => {
    s3 = await S3rverProcess.start(BUCKET)
    proxy = new FaultyS3(() => s3.port)
    await proxy.listen()
  })
  after(async () => {
    for (const s of servers) await s.close().catch(() => undefined)
    await proxy?.close()
    await s3?.cleanup()
  })

  async function server(): Promise<TestServer> {
    const s = await startServer((c) => {
      c.auth.required = false
      c.upstream = [{
        url: `s3://${BUCKET}/regional`, endpoint: proxy.endpoint, region: 'us-east-1', access_key: S3_KEY, secret_key: S3_KEY,
        timeout: 1000, read_only: false, permanent: false, write_through: true, workers: 2, breaker_failures: 3, breaker_cooldown: 1000,
      }]
    })
    servers.push(s)
    return s
  }

  it('goes unready within seconds of S3 failing and ready again once it answers, with no client traffic at all', async () => {
    proxy.mode = { kind: 'pass' }
    const s = await server()
    await untilReady(s, 200, 5000)

    proxy.mode = { kind: 'status', status: 503 }
    const down = await untilReady(s, 503, 6000)
    assert.ok(down < 6000)
    // Long enough for the breaker to open (3 failed probes) — the state that used to latch /ready at 503.
    await new Promise((r) => setTimeout(r, 7000))
    assert.equal(await readyStatus(s), 503)
    const health = (await (await fetch(`${s.http}/health`)).json()) as { readiness: Record<string, unknown>; layers: { state: string }[] }
    assert.match(String(health.readiness.s3), /503|offline/)
    assert.equal(health.layers[0]!.state, 'offline', 'the probes opened the breaker')

    const before = proxy.requests.length
    proxy.mode = { kind: 'pass' }
    await untilReady(s, 200, 8000)
    assert.ok(proxy.requests.length > before, 'the probe itself reached S3')
    const back = (await (await fetch(`${s.http}/health`)).json()) as { layers: { state: string }[] }
    assert.equal(back.layers[0]!.state, 'online', 'a successful probe closed the breaker')
  })

  it('is not ready when S3 is unreachable at boot, and becomes ready when it comes up', async () => {
    proxy.mode = { kind: 'hang' }
    const s = await server()
    assert.equal(await readyStatus(s), 503, 'not ready before S3 has answered once')
    await new Promise((r) => setTimeout(r, 2500))
    assert.equal(await readyStatus(s), 503)
    proxy.mode = { kind: 'pass' }
    await untilReady(s, 200, 8000)
  })

  it('is not ready when its local store cannot be written, and ready again once it can', async () => {
    proxy.mode = { kind: 'pass' }
    const s = await server()
    await untilReady(s, 200, 5000)
    // The folder the store writes into, deleted under the running server (root writes through a 0o500 mode).
    const tmp = join(s.dir, 'cache', 'tmp')
    await rm(tmp, { recursive: true, force: true })
    await untilReady(s, 503, 6000)
    const health = (await (await fetch(`${s.http}/health`)).json()) as { readiness: Record<string, unknown> }
    assert.match(String(health.readiness.store), /local store cannot be used/)
    await mkdir(tmp, { recursive: true, mode: 0o700 })
    await untilReady(s, 200, 6000)
  })
})
