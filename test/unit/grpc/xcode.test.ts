import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { CASGetResponse__Output } from '../../../src/generated/compilation_cache_service/cas/v1/CASGetResponse.js'
import type { CASLoadResponse__Output } from '../../../src/generated/compilation_cache_service/cas/v1/CASLoadResponse.js'
import type { CASPutResponse__Output } from '../../../src/generated/compilation_cache_service/cas/v1/CASPutResponse.js'
import type { CASSaveResponse__Output } from '../../../src/generated/compilation_cache_service/cas/v1/CASSaveResponse.js'
import type { GetValueResponse__Output } from '../../../src/generated/compilation_cache_service/keyvalue/v1/GetValueResponse.js'
import type { PutValueResponse__Output } from '../../../src/generated/compilation_cache_service/keyvalue/v1/PutValueResponse.js'
import { randomBytes, rpc, startServer, type Harness } from './helpers.js'

// Contract tests for the Xcode compilation cache (LLVM RemoteCachingService) over a unix socket, the way Xcode
// reaches it through COMPILATION_CACHE_REMOTE_SERVICE_PATH.

describe('Xcode services on a unix socket', () => {
  let h: Harness
  before(async () => {
    h = await startServer({ xcode: true }, { unix: true })
  })
  after(() => h.close())

  const save = (blob: object) => rpc<CASSaveResponse__Output>((cb) => h.clients.xcas.Save({ data: { blob } }, cb))
  const put = (blob: object, references: Buffer[] = []) =>
    rpc<CASPutResponse__Output>((cb) => h.clients.xcas.Put({ data: { blob, references: references.map((id) => ({ id })) } }, cb))
  const load = (id: Buffer, write_to_disk = false) => rpc<CASLoadResponse__Output>((cb) => h.clients.xcas.Load({ cas_id: { id }, write_to_disk }, cb))
  const get = (id: Buffer, write_to_disk = false) => rpc<CASGetResponse__Output>((cb) => h.clients.xcas.Get({ cas_id: { id }, write_to_disk }, cb))

  it('listens on a socket only its owner can use', async () => {
    const s = await stat(h.address.slice('unix:'.length))
    assert.ok(s.isSocket())
    assert.equal(s.mode & 0o077, 0)
  })

  it('KeyValueDB: a miss, then PutValue, then GetValue returns the entries', async () => {
    const key = Buffer.from('0123456789abcdef-cache-key')
    const miss = await rpc<GetValueResponse__Output>((cb) => h.clients.kv.GetValue({ key }, cb))
    assert.equal(miss.outcome, 'KEY_NOT_FOUND')
    const entries = { 'cas-id': randomBytes(32, 5), output: Buffer.from('x') }
    const stored = await rpc<PutValueResponse__Output>((cb) => h.clients.kv.PutValue({ key, value: { entries } }, cb))
    assert.equal(stored.error ?? null, null)
    const hit = await rpc<GetValueResponse__Output>((cb) => h.clients.kv.GetValue({ key }, cb))
    assert.equal(hit.outcome, 'SUCCESS')
    assert.equal(hit.contents, 'value')
    assert.ok(hit.value?.entries['cas-id']?.equals(entries['cas-id']))
    assert.ok(hit.value?.entries.output?.equals(entries.output))
  })

  it('KeyValueDB: keys longer than a store key still round-trip and stay distinct', async () => {
    const long1 = Buffer.alloc(500, 1)
    const long2 = Buffer.alloc(500, 2)
    await rpc((cb) => h.clients.kv.PutValue({ key: long1, value: { entries: { v: Buffer.from('one') } } }, cb))
    await rpc((cb) => h.clients.kv.PutValue({ key: long2, value: { entries: { v: Buffer.from('two') } } }, cb))
    const one = await rpc<GetValueResponse__Output>((cb) => h.clients.kv.GetValue({ key: long1 }, cb))
    const two = await rpc<GetValueResponse__Output>((cb) => h.clients.kv.GetValue({ key: long2 }, cb))
    assert.equal(one.value?.entries.v?.toString(), 'one')
    assert.equal(two.value?.entries.v?.toString(), 'two')
  })

  it('CAS: Save("") teaches the client the 32-byte ID length, and the empty blob loads back', async () => {
    const res = await save({ data: Buffer.alloc(0) })
    assert.equal(res.contents, 'cas_id')
    assert.equal(res.cas_id?.id.length, 32)
    const loaded = await load(res.cas_id?.id as Buffer)
    assert.equal(loaded.outcome, 'SUCCESS')
    assert.equal(loaded.data?.blob?.data?.length, 0)
  })

  it('CAS: Save/Load round-trips a blob; equal content gets the same ID from Save and Put', async () => {
    const data = randomBytes(100_000, 6)
    const saved = await save({ data })
    const again = await save({ data })
    const asObject = await put({ data })
    assert.ok(saved.cas_id?.id.equals(again.cas_id?.id as Buffer))
    assert.ok(saved.cas_id?.id.equals(asObject.cas_id?.id as Buffer))
    const loaded = await load(saved.cas_id?.id as Buffer)
    assert.equal(loaded.data?.blob?.contents, 'data')
    assert.ok(loaded.data?.blob?.data?.equals(data))
  })

  it('CAS: Put/Get round-trips an object with references, and references change the ID', async () => {
    const leaf = await save({ data: Buffer.from('leaf') })
    const leafId = leaf.cas_id?.id as Buffer
    const node = await put({ data: Buffer.from('node') }, [leafId, leafId])
    const bare = await put({ data: Buffer.from('node') })
    assert.ok(!node.cas_id?.id.equals(bare.cas_id?.id as Buffer))
    const got = await get(node.cas_id?.id as Buffer)
    assert.equal(got.outcome, 'SUCCESS')
    assert.equal(got.data?.blob?.data?.toString(), 'node')
    assert.deepEqual(got.data?.references.map((r) => r.id.toString('hex')), [leafId.toString('hex'), leafId.toString('hex')])
    const asBlob = await load(node.cas_id?.id as Buffer)
    assert.equal(asBlob.data?.blob?.data?.toString(), 'node')
  })

  it('CAS: reads file_path on Put/Save and answers with a file when write_to_disk is set', async () => {
    const data = randomBytes(300_000, 7)
    const input = join(h.dir, 'input.o')
    await writeFile(input, data)
    const saved = await save({ file_path: input })
    const inMemory = await save({ data })
    assert.ok(saved.cas_id?.id.equals(inMemory.cas_id?.id as Buffer))
    const loaded = await load(saved.cas_id?.id as Buffer, true)
    assert.equal(loaded.data?.blob?.contents, 'file_path')
    const path = loaded.data?.blob?.file_path as string
    assert.ok(path.startsWith(join(h.dir, 'xcode-out')))
    assert.ok((await readFile(path)).equals(data))

    const leaf = await save({ data: Buffer.from('ref') })
    const object = await put({ file_path: input }, [leaf.cas_id?.id as Buffer])
    const got = await get(object.cas_id?.id as Buffer, true)
    assert.equal(got.data?.references.length, 1)
    assert.ok((await readFile(got.data?.blob?.file_path as string)).equals(data))
  })

  it('CAS: reports unknown IDs as OBJECT_NOT_FOUND and bad input in the response', async () => {
    const missing = await load(Buffer.alloc(32, 9))
    assert.equal(missing.outcome, 'OBJECT_NOT_FOUND')
    assert.equal((await get(Buffer.alloc(32, 9))).outcome, 'OBJECT_NOT_FOUND')
    const shortId = await load(Buffer.alloc(5))
    assert.equal(shortId.outcome, 'ERROR')
    assert.match(shortId.error?.description ?? '', /32 bytes/)
    const badPath = await save({ file_path: join(h.dir, 'no-such-file') })
    assert.equal(badPath.contents, 'error')
    assert.match(badPath.error?.description ?? '', /ENOENT/)
    const relative = await save({ file_path: 'relative/path' })
    assert.equal(relative.contents, 'error')
  })
})
