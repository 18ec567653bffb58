import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import type { ByteStreamClient } from '../../../src/generated/google/bytestream/ByteStream.js'
import type { QueryWriteStatusResponse__Output } from '../../../src/generated/google/bytestream/QueryWriteStatusResponse.js'
import type { WriteRequest } from '../../../src/generated/google/bytestream/WriteRequest.js'
import { byteStreamService } from '../../../src/grpc/bytestream/service.js'
import { PartialUploads } from '../../../src/grpc/bytestream/uploads.js'
import { SILENT_LOGGER } from '../../../src/grpc/context.js'
import { loadProtos } from '../../../src/grpc/protos.js'
import { bindGrpc } from '../../../src/grpc/server.js'
import { createMetrics } from '../../../src/metrics/metrics.js'
import { MemoryStore } from '../../../src/store/memory.js'
import { chunked, makeClients, randomBytes, rpc, sha256, startServer, writeRequests, type Harness } from './helpers.js'

// Partial ByteStream uploads live outside [cache] max_size: their total is capped, oldest idle upload dropped first.

/** Sends the first `sent` bytes of `data` in 16 KiB messages and half-closes, as a client cut off mid-upload. */
function cutOffUpload(bs: ByteStreamClient, name: string, data: Buffer, sent: number) {
  return writeRequests(bs, [...chunked(name, data, 16 * 1024)].filter((r) => Number(r.write_offset) < sent) as WriteRequest[])
}

async function committedBytes(bs: ByteStreamClient, name: string): Promise<number> {
  return Number((await rpc<QueryWriteStatusResponse__Output>((cb) => bs.QueryWriteStatus({ resource_name: name }, cb))).committed_size)
}

/**
 * Two uploads of 600 KiB, each cut off after 320 KiB: under a cap of 400 KiB the second one's bytes make the server
 * drop the first (older, idle) — its client is told 0 and restarts.
 */
async function olderDroppedForNewer(bs: ByteStreamClient, seed: number): Promise<void> {
  const KiB = 1024
  const first = randomBytes(600 * KiB, seed)
  const firstName = `uploads/one-${seed}/blobs/${sha256(first)}/${first.length}`
  await cutOffUpload(bs, firstName, first, 320 * KiB)
  assert.equal(await committedBytes(bs, firstName), 320 * KiB)
  const second = randomBytes(600 * KiB, seed + 1)
  const secondName = `uploads/two-${seed}/blobs/${sha256(second)}/${second.length}`
  await cutOffUpload(bs, secondName, second, 320 * KiB)
  assert.equal(await committedBytes(bs, secondName), 320 * KiB)
  assert.equal(await committedBytes(bs, firstName), 0, 'the older cut-off upload was dropped to make room; its client restarts')
}

describe('partial uploads: the cap on their total bytes', () => {
  let dir: string
  let uploads: PartialUploads
  let now = 1_000_000
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabrik-partial-cap-'))
    uploads = new PartialUploads(dir, 3_600_000, { now: () => now, maxBytes: 100 })
  })
  after(async () => {
    uploads.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('drops the least recently touched idle uploads to make room, keeps busy ones, and refuses what cannot fit', async () => {
    const a = await uploads.create('uploads/a/blobs/x/1')
    now += 1
    const b = await uploads.create('uploads/b/blobs/x/1')
    now += 1
    assert.equal(await uploads.claim(a, 40), true)
    assert.equal(await uploads.claim(b, 40), true)
    assert.equal(uploads.bytes, 80)

    // a is touched again (a resumed client asked QueryWriteStatus): b is now the oldest and goes first.
    now += 1
    uploads.get('uploads/a/blobs/x/1')
    now += 1
    const c = await uploads.create('uploads/c/blobs/x/1')
    assert.equal(await uploads.claim(c, 30), true)
    assert.equal(uploads.get('uploads/b/blobs/x/1'), undefined, 'the oldest idle upload was dropped')
    assert.equal(existsSync(b.file), false, 'and its file removed')
    assert.ok(uploads.get('uploads/a/blobs/x/1'))
    assert.equal(uploads.bytes, 70)
    assert.ok(uploads.bytes <= 100)

    // A busy upload (a Write is feeding it) is never dropped from under its writer.
    a.busy = new Promise(() => undefined)
    assert.equal(await uploads.claim(c, 50), false, 'only a (busy) could make room')
    assert.ok(uploads.get('uploads/a/blobs/x/1'))
    assert.equal(uploads.bytes, 70)
    a.busy = undefined

    // More than the whole cap never fits, and nothing is dropped trying.
    assert.equal(await uploads.claim(c, 101), false)
    assert.equal(uploads.size, 2)

    // Truncating (a client restarting at 0) gives the room back.
    await uploads.truncate(a, 0)
    assert.equal(uploads.bytes, 30)
    assert.equal(await uploads.claim(c, 70), true)
    assert.equal(uploads.bytes, 100)
  })
})

describe('partial uploads: ByteStream Write under the cap', { timeout: 30_000 }, () => {
  const KiB = 1024
  const CAP = 400 * KiB
  let dir: string
  let uploads: PartialUploads
  let server: grpc.Server
  let clients: ReturnType<typeof makeClients>
  const store = new MemoryStore()
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabrik-partial-cap-'))
    uploads = new PartialUploads(dir, 3_600_000, { maxBytes: CAP })
    const ctx = { store, metrics: createMetrics({ defaultMetrics: false }), logger: SILENT_LOGGER, maxBatchBytes: 4 * 1024 * 1024 }
    server = new grpc.Server()
    server.addService(loadProtos().google.bytestream.ByteStream.service, byteStreamService(ctx, { uploads, resumableMinBytes: 1 }) as grpc.UntypedServiceImplementation)
    clients = makeClients(`127.0.0.1:${await bindGrpc(server, '127.0.0.1:0')}`)
  })
  after(async () => {
    clients?.bytestream.close()
    server?.forceShutdown()
    uploads?.close()
    await rm(dir, { recursive: true, force: true })
  })

  const cutOff = (name: string, data: Buffer, sent: number) => cutOffUpload(clients.bytestream, name, data, sent)
  const committed = (name: string) => committedBytes(clients.bytestream, name)

  it('cut-off uploads never hold more than the cap: the older one is dropped, a too-large one stays resumable from what fit', async () => {
    await olderDroppedForNewer(clients.bytestream, 11)
    assert.ok(uploads.bytes <= CAP, `${uploads.bytes} bytes held`)

    // Larger than the cap: spooled until the cap, then not; a retry resumes from the bytes that fit and stores it.
    const big = randomBytes(500 * KiB, 13)
    const bigName = `uploads/big/blobs/${sha256(big)}/${big.length}`
    await cutOff(bigName, big, 480 * KiB)
    const kept = await committed(bigName)
    assert.ok(kept > 0 && kept < big.length && kept <= CAP, `committed ${kept}`)
    assert.ok(uploads.bytes <= CAP, `${uploads.bytes} bytes held`)
    const done = await writeRequests(clients.bytestream, chunked(bigName, big, 16 * KiB, kept))
    assert.equal(Number(done.committed_size), big.length)
    assert.equal(await store.has('cas', sha256(big)), true)
  })
})

describe('partial uploads: the cap follows the cache\'s max_size', { timeout: 30_000 }, () => {
  const KiB = 1024
  let h: Harness
  before(async () => {
    // A quarter of the cache: 400 KiB for this 1600 KiB one (the default 1 GiB would keep everything below).
    h = await startServer({ cacheMaxBytes: 1600 * KiB, resumableMinBytes: 1 })
  })
  after(async () => h?.close())

  it('a small cache keeps at most a quarter of its size in cut-off uploads', async () => {
    await olderDroppedForNewer(h.clients.bytestream, 21)
  })
})
