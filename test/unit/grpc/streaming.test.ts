import assert from 'node:assert/strict'
import { MAX_CHUNK } from '../../../src/grpc/streams.js'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { ingest } from '../../../src/store/ingest.js'
import { peakLiveGrowth } from '../../helpers/live-memory.js'
import type { BlobStore, EntryStat, GetOptions, GetResult, PutOptions, PutResult } from '../../../src/store/types.js'
import { startServer, type Harness } from './helpers.js'

// A 64 MiB blob goes up with ByteStream.Write and comes back with ByteStream.Read, driven by a client in another
// process, while this (server) process samples its live memory after forced GCs. The store keeps no bytes — it
// verifies what it is given and regenerates the same bytes on read — so any growth is the gRPC layer's. Holding
// the blob whole would add at least 64 MiB.

const SIZE = 64 * 1024 * 1024
const BLOCK = MAX_CHUNK // the store yields blocks of a full message, so every message but the last is full

// The same deterministic bytes on both sides: a repeated SHA-512 with the block offset stamped in.
const PATTERN = `
const base = createHash('sha512').update('fabrik').digest()
function* pattern(size, offset = 0) {
  for (let at = offset - (offset % ${BLOCK}); at < size; at += ${BLOCK}) {
    const block = Buffer.alloc(Math.min(${BLOCK}, size - at))
    for (let i = 0; i < block.length; i += base.length) base.copy(block, i)
    if (block.length >= 8) block.writeDoubleBE(at, 0)
    yield at < offset ? block.subarray(offset - at) : block
  }
}`
const pattern = new Function('createHash', `${PATTERN}; return pattern`)(createHash) as (size: number, offset?: number) => Generator<Buffer>

const CLIENT = `
import { createHash } from 'node:crypto'
const { makeClients } = await import(process.argv[1])
const [address, mode, sha, size] = process.argv.slice(2)
const SIZE = Number(size)
${PATTERN}
const { bytestream } = makeClients(address)
if (mode === 'write') {
  const res = await new Promise((resolve, reject) => {
    const call = bytestream.Write((err, r) => (err ? reject(err) : resolve(r)))
    ;(async () => {
      let offset = 0
      for (const block of pattern(SIZE)) {
        for (let i = 0; i < block.length; i += 65536) {
          const data = block.subarray(i, i + 65536)
          const ok = call.write({ resource_name: offset === 0 ? 'uploads/big/blobs/' + sha + '/' + SIZE : '', write_offset: String(offset), data, finish_write: offset + data.length === SIZE })
          offset += data.length
          if (!ok) await new Promise((d) => call.once('drain', d))
        }
      }
      call.end()
    })()
  })
  console.log(JSON.stringify({ committed: res.committed_size }))
} else {
  const hash = createHash('sha256')
  let received = 0
  let largest = 0
  await new Promise((resolve, reject) => {
    const call = bytestream.Read({ resource_name: 'blobs/' + sha + '/' + SIZE })
    call.on('data', (m) => { hash.update(m.data); received += m.data.length; largest = Math.max(largest, m.data.length) })
    call.on('error', reject)
    call.on('end', resolve)
  })
  console.log(JSON.stringify({ received, largest, sha: hash.digest('hex') }))
}
process.exit(0)
`

class PatternStore implements BlobStore {
  private readonly entries = new Map<string, EntryStat>()
  async has(ns: string, key: string) {
    return this.entries.has(`${ns}/${key}`)
  }
  async stat(ns: string, key: string) {
    return this.entries.get(`${ns}/${key}`)
  }
  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    const e = this.entries.get(`${ns}/${key}`)
    if (!e) return undefined
    return { ...e, stream: Readable.from(pattern(e.size, options.offset ?? 0), { objectMode: false }) }
  }
  async put(ns: string, key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    const sink = new Writable({ write: (_c, _e, cb) => cb() })
    const { size, sha256 } = await ingest(body, sink, options)
    this.entries.set(`${ns}/${key}`, { size, sha256, createdAt: 0, accessedAt: 0, meta: {} })
    return { size, sha256, created: true }
  }
  async delete(ns: string, key: string) {
    return this.entries.delete(`${ns}/${key}`)
  }
  async close() {}
}

function runClient(address: string, mode: 'write' | 'read', sha: string): Promise<Record<string, unknown>> {
  const helpers = new URL('./helpers.js', import.meta.url).href
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', CLIENT, helpers, address, mode, sha, String(SIZE)], (err, out) =>
      err ? reject(err) : resolve(JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, unknown>),
    )
  })
}

describe('ByteStream streaming', () => {
  let h: Harness
  before(async () => {
    h = await startServer({ store: new PatternStore() })
  })
  after(() => h.close())

  it('moves a 64 MiB blob up and down without holding it in memory', async () => {
    const hash = createHash('sha256')
    for (const b of pattern(SIZE)) hash.update(b)
    const sha = hash.digest('hex')

    const { result: written, peakGrowth: writeGrowth } = await peakLiveGrowth(() => runClient(h.address, 'write', sha), 100)
    assert.equal(written.committed, String(SIZE))
    assert.equal(await h.store.has('cas', sha), true)

    const { result: read, peakGrowth: readGrowth } = await peakLiveGrowth(() => runClient(h.address, 'read', sha), 100)
    assert.deepEqual(read, { received: SIZE, largest: MAX_CHUNK, sha })

    const MiB = 1024 * 1024
    assert.ok(writeGrowth < 32 * MiB, `live memory grew by ${(writeGrowth / MiB).toFixed(1)} MiB while receiving 64 MiB`)
    assert.ok(readGrowth < 32 * MiB, `live memory grew by ${(readGrowth / MiB).toFixed(1)} MiB while sending 64 MiB`)
  })
})
