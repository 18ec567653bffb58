import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { compress } from 'zstd-napi'
import type { BatchReadBlobsResponse__Output } from '../../../src/generated/build/bazel/remote/execution/v2/BatchReadBlobsResponse.js'
import type { BatchUpdateBlobsResponse__Output } from '../../../src/generated/build/bazel/remote/execution/v2/BatchUpdateBlobsResponse.js'
import type { Directory } from '../../../src/generated/build/bazel/remote/execution/v2/Directory.js'
import type { FindMissingBlobsResponse__Output } from '../../../src/generated/build/bazel/remote/execution/v2/FindMissingBlobsResponse.js'
import type { GetTreeResponse__Output } from '../../../src/generated/build/bazel/remote/execution/v2/GetTreeResponse.js'
import type { ServerCapabilities__Output } from '../../../src/generated/build/bazel/remote/execution/v2/ServerCapabilities.js'
import { MESSAGES, encodeMessage } from '../../../src/grpc/codec.js'
import { EMPTY_SHA256 } from '../../../src/store/keys.js'
import { codeOf, digestOf, randomBytes, rpc, sha256, startServer, type Harness } from './helpers.js'

const EMPTY = { hash: EMPTY_SHA256, size_bytes: '0' }

describe('Capabilities', () => {
  let h: Harness
  before(async () => {
    h = await startServer({ maxBatchBytes: 1024 * 1024 })
  })
  after(() => h.close())

  it('advertises SHA256, action cache updates, ZSTD, API 2.0+ in fields 4/5 and the batch limit', async () => {
    const caps = await rpc<ServerCapabilities__Output>((cb) => h.clients.capabilities.GetCapabilities({ instance_name: '' }, cb))
    const cache = caps.cache_capabilities
    assert.ok(cache)
    assert.deepEqual(cache.digest_functions, ['SHA256'])
    assert.equal(cache.action_cache_update_capabilities?.update_enabled, true)
    assert.ok(cache.supported_compressors.includes('ZSTD'))
    assert.equal(cache.max_batch_total_size_bytes, String(1024 * 1024))
    assert.equal(caps.low_api_version?.major, 2)
    assert.equal(caps.low_api_version?.minor, 0)
    assert.ok(caps.high_api_version && caps.high_api_version.major >= 2)
    // Field 3 is the deprecated one; setting it makes Bazel warn.
    assert.equal(caps.deprecated_api_version, null)
    assert.equal(caps.execution_capabilities, null)
  })
})

describe('ContentAddressableStorage', () => {
  let h: Harness
  before(async () => {
    h = await startServer({ maxBatchBytes: 1024 * 1024 })
  })
  after(() => h.close())

  const findMissing = (blob_digests: object[], instance_name = '') =>
    rpc<FindMissingBlobsResponse__Output>((cb) => h.clients.cas.FindMissingBlobs({ instance_name, blob_digests }, cb))
  const update = (requests: object[]) => rpc<BatchUpdateBlobsResponse__Output>((cb) => h.clients.cas.BatchUpdateBlobs({ requests }, cb))
  const readBatch = (digests: object[]) => rpc<BatchReadBlobsResponse__Output>((cb) => h.clients.cas.BatchReadBlobs({ digests }, cb))

  it('runs the Buck2/Pants flow: FindMissing, BatchUpdate the missing, FindMissing again, BatchRead', async () => {
    const blobs = [randomBytes(1000, 1), randomBytes(20_000, 2), Buffer.from('hello pants')]
    const digests = blobs.map(digestOf)
    const before = await findMissing([...digests, EMPTY], 'buck2')
    assert.deepEqual(before.missing_blob_digests.map((d) => d.hash), digests.map((d) => d.hash))
    const up = await update(blobs.map((data) => ({ digest: digestOf(data), data })))
    assert.deepEqual(up.responses.map((r) => r.status?.code), [0, 0, 0])
    assert.deepEqual(up.responses.map((r) => r.digest?.hash), digests.map((d) => d.hash))
    const after = await findMissing([...digests, EMPTY])
    assert.deepEqual(after.missing_blob_digests, [])
    const read = await readBatch([...digests, EMPTY])
    assert.deepEqual(read.responses.map((r) => r.status?.code), [0, 0, 0, 0])
    read.responses.slice(0, 3).forEach((r, i) => assert.ok(r.data.equals(blobs[i] as Buffer)))
    assert.equal(read.responses[3]?.data.length, 0)
  })

  it('reports the empty blob as present without it ever being uploaded', async () => {
    const res = await findMissing([EMPTY])
    assert.deepEqual(res.missing_blob_digests, [])
  })

  it('fails FindMissingBlobs on a malformed digest or an unsupported digest function', async () => {
    assert.equal(await codeOf(findMissing([{ hash: 'abc', size_bytes: '1' }])), grpc.status.INVALID_ARGUMENT)
    const call = rpc((cb) => h.clients.cas.FindMissingBlobs({ blob_digests: [EMPTY], digest_function: 'BLAKE3' }, cb))
    assert.equal(await codeOf(call), grpc.status.INVALID_ARGUMENT)
  })

  it('rejects batch entries with the wrong hash or size per entry, storing only the good ones', async () => {
    const good = Buffer.from('good blob')
    const wrongHash = Buffer.from('wrong hash')
    const wrongSize = Buffer.from('wrong size')
    const res = await update([
      { digest: digestOf(good), data: good },
      { digest: { hash: sha256('other'), size_bytes: String(wrongHash.length) }, data: wrongHash },
      { digest: { hash: sha256(wrongSize), size_bytes: '3' }, data: wrongSize },
      { digest: { hash: 'nothex', size_bytes: '1' }, data: Buffer.from('x') },
    ])
    assert.deepEqual(res.responses.map((r) => r.status?.code), [0, grpc.status.INVALID_ARGUMENT, grpc.status.INVALID_ARGUMENT, grpc.status.INVALID_ARGUMENT])
    assert.equal(await h.store.has('cas', sha256(good)), true)
    assert.equal(await h.store.has('cas', sha256('other')), false)
    assert.equal(await h.store.has('cas', sha256(wrongSize)), false)
  })

  it('accepts ZSTD-compressed batch entries and verifies them uncompressed', async () => {
    const data = Buffer.alloc(50_000, 'z')
    const res = await update([
      { digest: digestOf(data), data: compress(data), compressor: 'ZSTD' },
      { digest: digestOf(Buffer.from('no')), data: Buffer.from('not zstd'), compressor: 'ZSTD' },
    ])
    assert.deepEqual(res.responses.map((r) => r.status?.code), [0, grpc.status.INVALID_ARGUMENT])
    const read = await readBatch([digestOf(data)])
    assert.ok(read.responses[0]?.data.equals(data))
  })

  it('refuses batches over max_batch_total_size_bytes as a whole', async () => {
    const big = randomBytes(600_000, 3)
    const other = randomBytes(600_000, 4)
    const code = await codeOf(update([{ digest: digestOf(big), data: big }, { digest: digestOf(other), data: other }]))
    assert.equal(code, grpc.status.INVALID_ARGUMENT)
    assert.equal(await codeOf(readBatch([digestOf(big), digestOf(other)])), grpc.status.INVALID_ARGUMENT)
  })

  it('answers NOT_FOUND per entry for blobs it lacks in BatchReadBlobs', async () => {
    const res = await readBatch([digestOf('never stored'), { hash: 'bad', size_bytes: '1' }])
    assert.deepEqual(res.responses.map((r) => r.status?.code), [grpc.status.NOT_FOUND, grpc.status.INVALID_ARGUMENT])
  })

  it('streams a directory tree with GetTree, omitting missing parts and paging on request', async () => {
    const file = Buffer.from('leaf')
    const leafDir: Directory = { files: [{ name: 'leaf.txt', digest: digestOf(file) }] }
    const leafBytes = encodeMessage(MESSAGES.directory, leafDir)
    const absent: Directory = { files: [{ name: 'gone', digest: digestOf('gone') }] }
    const absentBytes = encodeMessage(MESSAGES.directory, absent)
    const mid: Directory = { directories: [{ name: 'leaf', digest: digestOf(leafBytes) }] }
    const midBytes = encodeMessage(MESSAGES.directory, mid)
    const root: Directory = {
      directories: [
        { name: 'a', digest: digestOf(midBytes) },
        { name: 'b', digest: digestOf(absentBytes) },
        { name: 'c', digest: digestOf(leafBytes) },
      ],
    }
    const rootBytes = encodeMessage(MESSAGES.directory, root)
    await update([leafBytes, midBytes, rootBytes].map((data) => ({ digest: digestOf(data), data })))

    const pages = await getTree(digestOf(rootBytes))
    const all = pages.flatMap((p) => p.directories)
    assert.equal(all.length, 3) // root, mid, leaf (deduplicated); the absent directory is omitted
    assert.deepEqual(all[0]?.directories.map((d) => d.name), ['a', 'b', 'c'])
    assert.equal(pages.at(-1)?.next_page_token, '')

    const paged = await getTree(digestOf(rootBytes), 1)
    assert.deepEqual(paged.map((p) => p.directories.length).filter((n) => n > 0), [1, 1, 1])
    const resumed = await getTree(digestOf(rootBytes), 0, paged[0]?.next_page_token)
    assert.equal(resumed.flatMap((p) => p.directories).length, 2)

    assert.equal(await codeOf(getTree(digestOf('no such root'))), grpc.status.NOT_FOUND)
  })

  function getTree(root_digest: object, page_size = 0, page_token = ''): Promise<GetTreeResponse__Output[]> {
    return new Promise((resolve, reject) => {
      const pages: GetTreeResponse__Output[] = []
      const call = h.clients.cas.GetTree({ root_digest, page_size, page_token })
      call.on('data', (p: GetTreeResponse__Output) => pages.push(p))
      call.on('error', reject)
      call.on('end', () => resolve(pages))
    })
  }
})
