import assert from 'node:assert/strict'
import { MAX_CHUNK } from '../../../src/grpc/streams.js'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { compress, decompress } from 'zstd-napi'
import type { QueryWriteStatusResponse__Output } from '../../../src/generated/google/bytestream/QueryWriteStatusResponse.js'
import type { WriteRequest } from '../../../src/generated/google/bytestream/WriteRequest.js'
import { truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { EMPTY_SHA256 } from '../../../src/store/keys.js'
import type { LocalStore } from '../../../src/store/local/store.js'
import { fileRows, open as openStore, tempDir } from '../store/helpers.js'
import { chunked, codeOf, randomBytes, readBlob, rpc, sha256, startServer, writeRequests, type Harness } from './helpers.js'

describe('ByteStream', () => {
  let h: Harness
  before(async () => {
    h = await startServer({ resumableMinBytes: 64 * 1024 })
  })
  after(() => h.close())

  const upload = (data: Buffer, instance = '') => `${instance ? instance + '/' : ''}uploads/${crypto.randomUUID()}/blobs/${sha256(data)}/${data.length}`

  it('stores a chunked upload and reads it back in chunks of at most MAX_CHUNK', async () => {
    const data = randomBytes(3 * MAX_CHUNK + 12_345, 7)
    const res = await writeRequests(h.clients.bytestream, chunked(upload(data), data))
    assert.equal(res.committed_size, String(data.length))
    assert.equal(await h.store.has('cas', sha256(data)), true)
    const got = await readBlob(h.clients.bytestream, `blobs/${sha256(data)}/${data.length}`)
    assert.ok(got.data.equals(data))
    assert.ok(got.sizes.every((s) => s <= MAX_CHUNK), `chunk sizes ${got.sizes}`)
    assert.ok(got.sizes.length >= 4, `chunk sizes ${got.sizes}`)
  })

  it('serves concurrent reads of different blobs, each with its own bytes', async () => {
    // Read responses from memory are framed in one shared scratch buffer: interleaved calls must not see each
    // other's bytes. (Reads from files use pooled frames: see the local store block below.)
    const blobs = [1, 2, 3, 4].map((seed) => randomBytes(2 * MAX_CHUNK + seed * 1000, 100 + seed))
    for (const data of blobs) await writeRequests(h.clients.bytestream, chunked(upload(data), data))
    const got = await Promise.all(blobs.map((data) => readBlob(h.clients.bytestream, `blobs/${sha256(data)}/${data.length}`)))
    got.forEach((g, i) => assert.ok(g.data.equals(blobs[i] as Buffer), `blob ${i}`))
  })

  it('reads a range with read_offset and read_limit', async () => {
    const data = randomBytes(100_000, 8)
    await writeRequests(h.clients.bytestream, chunked(upload(data, 'main'), data))
    const got = await readBlob(h.clients.bytestream, `main/blobs/${sha256(data)}/${data.length}`, 1000, 5000)
    assert.ok(got.data.equals(data.subarray(1000, 6000)))
    const tail = await readBlob(h.clients.bytestream, `blobs/${sha256(data)}/${data.length}`, 99_990)
    assert.ok(tail.data.equals(data.subarray(99_990)))
  })

  it('answers OUT_OF_RANGE for a read_offset past the end and INVALID_ARGUMENT for a negative read_limit', async () => {
    const data = Buffer.from('twelve bytes')
    await writeRequests(h.clients.bytestream, chunked(upload(data), data))
    const name = `blobs/${sha256(data)}/${data.length}`
    assert.equal(await codeOf(readBlob(h.clients.bytestream, name, 13)), grpc.status.OUT_OF_RANGE)
    assert.equal((await readBlob(h.clients.bytestream, name, 12)).data.length, 0, 'an offset at the end reads nothing')
    assert.equal(await codeOf(readBlob(h.clients.bytestream, name, 0, -1)), grpc.status.INVALID_ARGUMENT)
  })

  it('answers NOT_FOUND for a blob it does not have, or has under another size', async () => {
    const data = Buffer.from('sized')
    await writeRequests(h.clients.bytestream, chunked(upload(data), data))
    assert.equal(await codeOf(readBlob(h.clients.bytestream, `blobs/${sha256('absent')}/6`)), grpc.status.NOT_FOUND)
    assert.equal(await codeOf(readBlob(h.clients.bytestream, `blobs/${sha256(data)}/6`)), grpc.status.NOT_FOUND)
  })

  it('rejects malformed resource names with INVALID_ARGUMENT', async () => {
    const bad = ['', 'blobs', `blobs/${sha256('x')}`, `blobs/${sha256('x').toUpperCase()}/1`, 'blobs/abc/1', `blobs/${sha256('x')}/-1`,
      `compressed-blobs/gzip/${sha256('x')}/1`, `blobs/blake3/${sha256('x')}/1`, `blobs/${sha256('x')}/1/extra`]
    for (const name of bad) {
      assert.equal(await codeOf(readBlob(h.clients.bytestream, name)), grpc.status.INVALID_ARGUMENT, name)
    }
    const data = Buffer.from('x')
    for (const name of [`blobs/${sha256(data)}/1`, `uploads/blobs/${sha256(data)}/1`, `uploads/u1/blobz/${sha256(data)}/1`]) {
      assert.equal(await codeOf(writeRequests(h.clients.bytestream, chunked(name, data))), grpc.status.INVALID_ARGUMENT, name)
    }
  })

  it('refuses an upload whose bytes do not hash to the digest and stores nothing', async () => {
    const data = randomBytes(200_000, 9)
    const claimed = sha256('something else')
    const name = `uploads/u-1/blobs/${claimed}/${data.length}`
    assert.equal(await codeOf(writeRequests(h.clients.bytestream, chunked(name, data))), grpc.status.INVALID_ARGUMENT)
    assert.equal(await h.store.has('cas', claimed), false)
    const status = await rpc<QueryWriteStatusResponse__Output>((cb) => h.clients.bytestream.QueryWriteStatus({ resource_name: name }, cb))
    assert.deepEqual({ ...status }, { committed_size: '0', complete: false })
  })

  it('refuses uploads longer or shorter than the declared size', async () => {
    const data = Buffer.from('exactly this')
    const longer = `uploads/u-2/blobs/${sha256(data)}/${data.length - 1}`
    assert.equal(await codeOf(writeRequests(h.clients.bytestream, chunked(longer, data))), grpc.status.INVALID_ARGUMENT)
    const shorter = `uploads/u-3/blobs/${sha256(data)}/${data.length + 1}`
    assert.equal(await codeOf(writeRequests(h.clients.bytestream, chunked(shorter, data))), grpc.status.INVALID_ARGUMENT)
    assert.equal(await h.store.has('cas', sha256(data)), false)
  })

  it('refuses a write_offset that does not follow the data already sent', async () => {
    const data = randomBytes(40_000, 10)
    const reqs = [...chunked(upload(data), data, 10_000)]
    ;(reqs[2] as { write_offset: string }).write_offset = '25000'
    assert.equal(await codeOf(writeRequests(h.clients.bytestream, reqs)), grpc.status.INVALID_ARGUMENT)
  })

  it('completes early when the blob already exists', async () => {
    const data = randomBytes(50_000, 11)
    await writeRequests(h.clients.bytestream, chunked(upload(data), data))
    // Only the first chunk is sent before the client waits for the answer.
    const first = [...chunked(upload(data), data, 1000)].slice(0, 1)
    const res = await new Promise<{ committed_size: string }>((resolve, reject) => {
      const call = h.clients.bytestream.Write((err, r) => (err ? reject(err) : resolve(r as { committed_size: string })))
      call.write(first[0] as WriteRequest)
    })
    assert.equal(res.committed_size, String(data.length))
  })

  it('treats the empty blob as always present', async () => {
    const res = await writeRequests(h.clients.bytestream, [{ resource_name: `uploads/e/blobs/${EMPTY_SHA256}/0`, write_offset: '0', finish_write: true }])
    assert.equal(res.committed_size, '0')
    const got = await readBlob(h.clients.bytestream, `blobs/${EMPTY_SHA256}/0`)
    assert.equal(got.data.length, 0)
    const status = await rpc<QueryWriteStatusResponse__Output>((cb) => h.clients.bytestream.QueryWriteStatus({ resource_name: `uploads/e2/blobs/${EMPTY_SHA256}/0` }, cb))
    assert.equal(status.complete, true)
  })

  it('resumes an upload cut off midway from the committed size QueryWriteStatus reports', async () => {
    const data = randomBytes(512 * 1024, 12)
    const name = upload(data)
    const reqs = [...chunked(name, data, 16 * 1024)]
    // The client sends 10 chunks, then its connection is cut (the call is cancelled).
    await new Promise<void>((resolve) => {
      const call = h.clients.bytestream.Write(() => resolve())
      for (const r of reqs.slice(0, 10)) call.write(r)
      setTimeout(() => call.cancel(), 150)
    })
    let status = await rpc<QueryWriteStatusResponse__Output>((cb) => h.clients.bytestream.QueryWriteStatus({ resource_name: name }, cb))
    for (let i = 0; i < 20 && Number(status.committed_size) < 10 * 16 * 1024; i++) {
      await new Promise((r) => setTimeout(r, 20))
      status = await rpc<QueryWriteStatusResponse__Output>((cb) => h.clients.bytestream.QueryWriteStatus({ resource_name: name }, cb))
    }
    assert.equal(status.complete, false)
    const committed = Number(status.committed_size)
    assert.equal(committed, 10 * 16 * 1024)
    assert.equal(await h.store.has('cas', sha256(data)), false)

    const res = await writeRequests(h.clients.bytestream, chunked(name, data, 16 * 1024, committed))
    assert.equal(res.committed_size, String(data.length))
    const got = await readBlob(h.clients.bytestream, `blobs/${sha256(data)}/${data.length}`)
    assert.ok(got.data.equals(data))
    const done = await rpc<QueryWriteStatusResponse__Output>((cb) => h.clients.bytestream.QueryWriteStatus({ resource_name: name }, cb))
    assert.deepEqual({ ...done }, { committed_size: String(data.length), complete: true })
  })

  it('answers a stream that ends without finish_write with the committed size and keeps the upload open', async () => {
    const data = randomBytes(200_000, 13)
    const name = upload(data)
    const reqs = [...chunked(name, data, 50_000)].slice(0, 2)
    const res = await writeRequests(h.clients.bytestream, reqs)
    assert.equal(res.committed_size, '100000')
    const rest = await writeRequests(h.clients.bytestream, chunked(name, data, 50_000, 100_000))
    assert.equal(rest.committed_size, String(data.length))
    assert.equal(await h.store.has('cas', sha256(data)), true)
  })

  it('refuses a resume offset beyond what was committed', async () => {
    const data = randomBytes(100_000, 14)
    const name = upload(data)
    assert.equal(await codeOf(writeRequests(h.clients.bytestream, chunked(name, data, 16 * 1024, 32 * 1024))), grpc.status.INVALID_ARGUMENT)
  })

  it('answers QueryWriteStatus for an unknown upload with 0 so the client restarts', async () => {
    const status = await rpc<QueryWriteStatusResponse__Output>((cb) => h.clients.bytestream.QueryWriteStatus({ resource_name: `uploads/nope/blobs/${sha256('n')}/1` }, cb))
    assert.deepEqual({ ...status }, { committed_size: '0', complete: false })
    assert.equal(await codeOf(rpc<QueryWriteStatusResponse__Output>((cb) => h.clients.bytestream.QueryWriteStatus({ resource_name: 'uploads/x' }, cb))), grpc.status.INVALID_ARGUMENT)
  })

  it('round-trips zstd: compressed write, compressed and plain reads', async () => {
    const data = Buffer.concat([randomBytes(100_000, 15), Buffer.alloc(200_000, 'a')])
    const packed = compress(data)
    const name = `uploads/${crypto.randomUUID()}/compressed-blobs/zstd/${sha256(data)}/${data.length}`
    const res = await writeRequests(h.clients.bytestream, chunked(name, packed, 8 * 1024))
    // Offsets of a compressed upload count compressed bytes; Bazel expects that total back.
    assert.equal(res.committed_size, String(packed.length))
    const plain = await readBlob(h.clients.bytestream, `blobs/${sha256(data)}/${data.length}`)
    assert.ok(plain.data.equals(data))
    const zipped = await readBlob(h.clients.bytestream, `compressed-blobs/zstd/${sha256(data)}/${data.length}`)
    assert.ok(decompress(zipped.data).equals(data))
    const fromOffset = await readBlob(h.clients.bytestream, `compressed-blobs/zstd/${sha256(data)}/${data.length}`, 250_000)
    assert.ok(decompress(fromOffset.data).equals(data.subarray(250_000)))
    // An existing blob completes a compressed upload early with -1.
    const again = await writeRequests(h.clients.bytestream, chunked(name.replace(/uploads\/[^/]+/, 'uploads/again'), packed, 8 * 1024))
    assert.equal(again.committed_size, '-1')
  })

  it('rejects corrupt zstd data, a zstd upload of the wrong content and read_limit on compressed reads', async () => {
    const data = randomBytes(10_000, 16)
    const corrupt = `uploads/c1/compressed-blobs/zstd/${sha256(data)}/${data.length}`
    assert.equal(await codeOf(writeRequests(h.clients.bytestream, chunked(corrupt, data))), grpc.status.INVALID_ARGUMENT)
    const wrong = `uploads/c2/compressed-blobs/zstd/${sha256(data)}/${data.length}`
    assert.equal(await codeOf(writeRequests(h.clients.bytestream, chunked(wrong, compress(randomBytes(10_000, 17))))), grpc.status.INVALID_ARGUMENT)
    assert.equal(await h.store.has('cas', sha256(data)), false)
    await writeRequests(h.clients.bytestream, chunked(upload(data), data))
    assert.equal(await codeOf(readBlob(h.clients.bytestream, `compressed-blobs/zstd/${sha256(data)}/${data.length}`, 0, 10)), grpc.status.INVALID_ARGUMENT)
  })
})

describe('ByteStream.Read over the local store (blobs in files, read into pooled frames)', () => {
  let h: Harness
  let store: LocalStore
  let storeDir: { dir: string; cleanup: () => Promise<void> }
  before(async () => {
    storeDir = await tempDir()
    store = openStore(storeDir.dir, { maxSize: 256 * 1024 * 1024 })
    h = await startServer({ store })
  })
  after(async () => {
    await h.close()
    await store.close()
    await storeDir.cleanup()
  })

  const put = async (data: Buffer) => {
    await store.put('cas', sha256(data), data, { sha256: sha256(data), size: data.length })
    return `blobs/${sha256(data)}/${data.length}`
  }

  it('reads whole blobs and ranges, in messages of at most MAX_CHUNK', async () => {
    const data = randomBytes(3 * MAX_CHUNK + 777, 31)
    const name = await put(data)
    const whole = await readBlob(h.clients.bytestream, name)
    assert.ok(whole.data.equals(data))
    assert.deepEqual(whole.sizes, [MAX_CHUNK, MAX_CHUNK, MAX_CHUNK, 777])
    const range = await readBlob(h.clients.bytestream, name, MAX_CHUNK - 10, MAX_CHUNK + 20)
    assert.ok(range.data.equals(data.subarray(MAX_CHUNK - 10, 2 * MAX_CHUNK + 10)))
    assert.equal((await readBlob(h.clients.bytestream, name, data.length)).data.length, 0)
  })

  it('never hands a frame to a second read while the first is still sending it', async () => {
    // More frames in flight than the pool keeps, over several rounds: a frame reused too early would put one
    // blob's bytes into another's download.
    const blobs = [1, 2, 3, 4, 5, 6].map((seed) => randomBytes(5 * MAX_CHUNK + seed * 4099, 200 + seed))
    const names = await Promise.all(blobs.map(put))
    for (let round = 0; round < 3; round++) {
      const got = await Promise.all(names.map((name) => readBlob(h.clients.bytestream, name)))
      got.forEach((g, i) => assert.ok(g.data.equals(blobs[i] as Buffer), `round ${round}, blob ${i}`))
    }
  })

  it('fails the read with INTERNAL when the blob file is shorter than its entry, instead of sending a short blob', async () => {
    const data = randomBytes(2 * MAX_CHUNK + 5, 41)
    const before = new Set(fileRows(storeDir.dir))
    const name = await put(data)
    const [file] = fileRows(storeDir.dir).filter((f) => !before.has(f))
    await truncate(join(storeDir.dir, 'blobs', file!), MAX_CHUNK + 3)
    const err = await readBlob(h.clients.bytestream, name).then(() => undefined, (e: grpc.ServiceError) => e)
    assert.equal(err?.code, grpc.status.INTERNAL)
    assert.match(err?.details ?? '', /damaged/)
  })
})
