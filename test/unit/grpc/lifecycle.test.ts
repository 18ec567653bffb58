import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { PartialUploads } from '../../../src/grpc/bytestream/uploads.js'
import type { WriteRequest } from '../../../src/generated/google/bytestream/WriteRequest.js'
import type { ServerCapabilities__Output } from '../../../src/generated/build/bazel/remote/execution/v2/ServerCapabilities.js'
import { bindGrpc, createGrpcServer } from '../../../src/grpc/server.js'
import { createMetrics } from '../../../src/metrics/metrics.js'
import { MemoryStore } from '../../../src/store/memory.js'
import { chunked, makeClients, randomBytes, rpc, sha256, startServer } from './helpers.js'

describe('partial uploads', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabrik-uploads-'))
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('drops uploads idle past the TTL, and removes its folder and older stale folders', async () => {
    let now = 1_000_000
    const stale = join(dir, 'bytestream-old')
    await mkdir(stale)
    await utimes(stale, new Date(0), new Date(0))
    const uploads = new PartialUploads(dir, 60_000, { now: () => now })
    const p = await uploads.create('uploads/a/blobs/x/1')
    assert.ok(existsSync(p.file))
    assert.equal(existsSync(stale), false)
    now += 30_000
    await uploads.sweep()
    assert.equal(uploads.size, 1)
    now += 61_000
    await uploads.sweep()
    assert.equal(uploads.size, 0)
    assert.equal(existsSync(p.file), false)
    await uploads.create('uploads/b/blobs/x/1')
    uploads.close()
    assert.deepEqual(await readdir(dir), [])
  })

  it('removes partial uploads when the server shuts down', async () => {
    const h = await startServer({ resumableMinBytes: 1 })
    const data = randomBytes(100_000, 3)
    const name = `uploads/cut/blobs/${sha256(data)}/${data.length}`
    await new Promise<void>((resolve) => {
      const call = h.clients.bytestream.Write(() => resolve())
      call.write([...chunked(name, data, 10_000)][0] as WriteRequest)
      call.end() // ends without finish_write: the upload stays open on the server
    })
    const folders = await readdir(join(h.dir, 'uploads'))
    assert.equal(folders.length, 1)
    assert.equal((await readdir(join(h.dir, 'uploads', folders[0] as string))).length, 1)
    await new Promise<void>((resolve) => h.server.tryShutdown(() => resolve()))
    assert.deepEqual(await readdir(join(h.dir, 'uploads')), [])
    await h.close()
  })
})

describe('bindGrpc', () => {
  it('replaces a stale unix socket file but refuses one a live server owns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabrik-sock-'))
    const path = join(dir, 's.sock')
    try {
      // A socket file left behind by a process that died without cleaning up.
      spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`])
      assert.ok((await stat(path)).isSocket())

      const server = createGrpcServer({ store: new MemoryStore(), metrics: createMetrics({ defaultMetrics: false }), uploadDir: dir })
      await bindGrpc(server, `unix:${path}`)
      const clients = makeClients(`unix:${path}`)
      const caps = await rpc<ServerCapabilities__Output>((cb) => clients.capabilities.GetCapabilities({}, cb))
      assert.deepEqual(caps.cache_capabilities?.digest_functions, ['SHA256'])

      const second = createGrpcServer({ store: new MemoryStore(), metrics: createMetrics({ defaultMetrics: false }), uploadDir: dir })
      await assert.rejects(bindGrpc(second, `unix:${path}`), /cannot listen/)
      second.forceShutdown()
      clients.capabilities.close()
      server.forceShutdown()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('binds 127.0.0.1:0 to a free port', async () => {
    const server = createGrpcServer({ store: new MemoryStore(), metrics: createMetrics({ defaultMetrics: false }) })
    const port = await bindGrpc(server, '127.0.0.1:0')
    assert.ok(port > 0)
    const clients = makeClients(`127.0.0.1:${port}`)
    const code = await new Promise<grpc.status>((resolve) => {
      clients.kv.GetValue({ key: Buffer.from('k') }, (err) => resolve(err?.code ?? grpc.status.OK))
    })
    // Xcode services are only served when asked for.
    assert.equal(code, grpc.status.UNIMPLEMENTED)
    clients.kv.close()
    server.forceShutdown()
  })
})
