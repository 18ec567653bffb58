import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import type { FabrikCacheClient } from '../../../src/generated/fabrik/v1/FabrikCache.js'
import type { GetResponse__Output } from '../../../src/generated/fabrik/v1/GetResponse.js'
import { loadProtos } from '../../../src/grpc/protos.js'
import { MAX_CHUNK } from '../../../src/grpc/streams.js'
import { makeKey, startServerWithKeys, token, type TestServer } from './helpers.js'

// fabrik.v1.FabrikCache (src/server/fabrik-cache.ts) driven directly by a generated client over TCP, as a daemon's
// regional layer drives it, with tokens of two tenants.

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
type Entry = { found: boolean; size?: string; sha256?: string }

interface Tenant {
  client: FabrikCacheClient
  md: grpc.Metadata
}

function unary<Req, Res>(t: Tenant, method: 'Exists' | 'Delete' | 'GetStats', req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = t.client[method].bind(t.client) as unknown as (r: Req, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res?: Res) => void) => void
    fn(req, t.md, (err, res) => (err ? reject(err) : resolve(res!)))
  })
}

const exists = async (t: Tenant, keys: string[]) =>
  (await unary<unknown, { entries: Entry[] }>(t, 'Exists', { entries: keys.map((key) => ({ namespace: 'nx', key })) })).entries

/** Put in chunks of at most MAX_CHUNK, declaring `size` and `sha256` (the body's own unless overridden). */
function put(t: Tenant, key: string, body: Buffer, declared: { size?: number; sha256?: string } = {}): Promise<{ size: string; sha256: string }> {
  return new Promise((resolve, reject) => {
    const call = t.client.Put(t.md, (err, res) => (err ? reject(err) : resolve(res as { size: string; sha256: string })))
    call.write({ header: { namespace: 'nx', key, size: declared.size ?? body.length, sha256: declared.sha256 ?? sha(body) } })
    for (let at = 0; at < body.length; at += MAX_CHUNK) call.write({ data: body.subarray(at, at + MAX_CHUNK) })
    call.end()
  })
}

/** The messages of a Get: the first carries the entry's info, the rest its bytes. */
function get(t: Tenant, key: string): Promise<{ info: Entry | undefined; body: Buffer; messages: number }> {
  return new Promise((resolve, reject) => {
    const call = t.client.Get({ namespace: 'nx', key }, t.md)
    let info: Entry | undefined
    const chunks: Buffer[] = []
    let messages = 0
    call.on('data', (m: GetResponse__Output) => {
      if (messages++ === 0) info = m.info as Entry
      else chunks.push(m.data!)
    })
    call.on('error', reject)
    call.on('end', () => resolve({ info, body: Buffer.concat(chunks), messages }))
  })
}

const code = (status: grpc.status) => (err: unknown) => (err as grpc.ServiceError).code === status

describe('fabrik.v1.FabrikCache', () => {
  let s: TestServer
  let a: Tenant
  let b: Tenant
  before(async () => {
    const key = await makeKey('k1')
    s = await startServerWithKeys([key])
    const Client = loadProtos().fabrik.v1.FabrikCache
    const tenant = async (project: string): Promise<Tenant> => {
      const md = new grpc.Metadata()
      md.set('authorization', `Bearer ${await token(key, { project_id: project })}`)
      return { client: new Client(s.grpc, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 4 * MAX_CHUNK }), md }
    }
    a = await tenant('team-a')
    b = await tenant('team-b')
  })
  after(async () => {
    a?.client.close()
    b?.client.close()
    await s?.close()
  })

  it('Put streams an entry in chunks; a batch Exists answers each key with its size and SHA-256', async () => {
    const big = randomBytes(2 * MAX_CHUNK + 12345)
    const small = Buffer.from('small entry')
    const stored = await put(a, 'big', big)
    assert.equal(Number(stored.size), big.length)
    assert.equal(stored.sha256, sha(big))
    await put(a, 'small', small)
    const found = await exists(a, ['big', 'missing', 'small'])
    assert.deepEqual(found.map((e) => e.found), [true, false, true])
    assert.equal(Number(found[0]!.size), big.length)
    assert.equal(found[0]!.sha256, sha(big))
    assert.equal(found[2]!.sha256, sha(small))
    assert.deepEqual((await exists(b, ['big'])).map((e) => e.found), [false], 'another tenant does not see it')
  })

  it('Get streams the info first, then the bytes in several messages; a missing key is NOT_FOUND', async () => {
    const body = randomBytes(3 * MAX_CHUNK + 7)
    await put(a, 'streamed', body)
    const got = await get(a, 'streamed')
    assert.equal(got.info?.found, true)
    assert.equal(Number(got.info?.size), body.length)
    assert.equal(got.info?.sha256, sha(body))
    assert.ok(got.messages >= 5, `${got.messages} messages: info + at least 4 chunks of at most ${MAX_CHUNK} bytes`)
    assert.ok(got.body.equals(body))
    await assert.rejects(get(a, 'never-stored'), code(grpc.status.NOT_FOUND))
    await assert.rejects(get(b, 'streamed'), code(grpc.status.NOT_FOUND), 'another tenant cannot read it')
  })

  it('Put refuses a body whose size or SHA-256 differs from the header, and stores nothing', async () => {
    const body = randomBytes(MAX_CHUNK + 100)
    await assert.rejects(put(a, 'short', body, { size: body.length + 1 }), code(grpc.status.INVALID_ARGUMENT))
    await assert.rejects(put(a, 'long', body, { size: body.length - 1 }), code(grpc.status.INVALID_ARGUMENT))
    await assert.rejects(put(a, 'lying', body, { sha256: sha(Buffer.from('something else')) }), code(grpc.status.INVALID_ARGUMENT))
    assert.deepEqual((await exists(a, ['short', 'long', 'lying'])).map((e) => e.found), [false, false, false])
  })

  it('Delete removes an entry once', async () => {
    await put(a, 'doomed', Buffer.from('doomed'))
    assert.deepEqual(await unary(b, 'Delete', { namespace: 'nx', key: 'doomed' }), { deleted: false }, 'another tenant cannot delete it')
    assert.deepEqual(await unary(a, 'Delete', { namespace: 'nx', key: 'doomed' }), { deleted: true })
    assert.deepEqual((await exists(a, ['doomed'])).map((e) => e.found), [false])
    assert.deepEqual(await unary(a, 'Delete', { namespace: 'nx', key: 'doomed' }), { deleted: false })
  })

  it('GetStats counts only the caller\'s tenant\'s entries', async () => {
    const before = await unary<unknown, { entries: string; bytes: string; max_bytes: string }>(a, 'GetStats', {})
    const bodies = [randomBytes(1000), randomBytes(2000)]
    for (const [i, body] of bodies.entries()) await put(b, `b${i}`, body)
    const statsA = await unary<unknown, { entries: string; bytes: string; max_bytes: string }>(a, 'GetStats', {})
    const statsB = await unary<unknown, { entries: string; bytes: string; max_bytes: string }>(b, 'GetStats', {})
    assert.deepEqual(statsA, before, 'tenant B\'s puts do not show in tenant A\'s figures')
    assert.equal(Number(statsB.entries), 2)
    assert.equal(Number(statsB.bytes), 3000)
    assert.ok(Number(statsB.max_bytes) > 0)
    const aEntries = (await exists(a, ['big', 'small', 'streamed'])).filter((e) => e.found).length
    assert.equal(Number(statsA.entries), aEntries)
  })
})
