import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { peakLiveGrowth as sampling } from '../../helpers/live-memory.js'
import { FileStore } from './file-store.js'
import { listen, makeApp, type TestApp } from './helpers.js'

// Not a benchmark: proves that a large body crosses the HTTP layer as a stream. Client and server share this
// process, so buffering the 64 MiB anywhere (fastify body parser, a Buffer.concat in a route) would show up
// as heap + ArrayBuffer growth of at least 64 MiB.

const MiB = 1024 * 1024
const TOTAL = 64 * MiB
const CHUNK = Buffer.alloc(MiB)
for (let i = 0; i < CHUNK.length; i++) CHUNK[i] = (i * 31) & 0xff

function expectedSha256(): string {
  const h = createHash('sha256')
  for (let i = 0; i < TOTAL / MiB; i++) h.update(CHUNK)
  return h.digest('hex')
}

describe('bodies stream through the HTTP layer', () => {
  let dir: string
  let t: TestApp
  let port: number
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabrik-http-stream-'))
    t = await makeApp({ store: new FileStore(dir), maxBlobBytes: 128 * MiB })
    port = await listen(t.app)
  })
  after(async () => {
    await t.app.close()
    await rm(dir, { recursive: true, force: true })
  })

  test('a 64 MiB PUT then GET keeps heap and buffer growth under 48 MiB and round-trips the bytes', async () => {
    const put = await sampling(
      () =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, method: 'PUT', path: '/cache/big', headers: { 'content-length': String(TOTAL) } }, (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
          })
          req.on('error', reject)
          let sent = 0
          const pump = (): void => {
            while (sent < TOTAL) {
              sent += CHUNK.length
              if (!req.write(CHUNK)) {
                req.once('drain', pump)
                return
              }
            }
            req.end()
          }
          pump()
        }),
    )
    assert.equal(put.result, 200)
    assert.equal(await t.store.has('gradle', 'big'), true)
    assert.ok(put.peakGrowth < 48 * MiB, `PUT grew memory by ${(put.peakGrowth / MiB).toFixed(1)} MiB`)

    const get = await sampling(
      () =>
        new Promise<{ status: number; length: string | undefined; size: number; sha: string }>((resolve, reject) => {
          httpRequest({ host: '127.0.0.1', port, method: 'GET', path: '/cache/big' }, (res) => {
            const h = createHash('sha256')
            let size = 0
            res.on('data', (c: Buffer) => {
              size += c.length
              h.update(c)
            })
            res.on('end', () => resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'], size, sha: h.digest('hex') }))
            res.on('error', reject)
          })
            .on('error', reject)
            .end()
        }),
    )
    assert.equal(get.result.status, 200)
    assert.equal(get.result.length, String(TOTAL))
    assert.equal(get.result.size, TOTAL)
    assert.equal(get.result.sha, expectedSha256())
    assert.ok(get.peakGrowth < 48 * MiB, `GET grew memory by ${(get.peakGrowth / MiB).toFixed(1)} MiB`)
  })
})
