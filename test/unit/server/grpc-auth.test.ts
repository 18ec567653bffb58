import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { scopedNamespace } from '../../../src/auth/tenant.js'
import type { FabrikCacheClient } from '../../../src/generated/fabrik/v1/FabrikCache.js'
import { loadProtos } from '../../../src/grpc/protos.js'
import { makeClients } from '../grpc/helpers.js'
import { makeKey, refusedTokens, startServerWithKeys, token, type TestKey, type TestServer } from './helpers.js'

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')
const digestOf = (b: Buffer) => ({ hash: sha(b), size_bytes: String(b.length) })

function metadata(t: string | undefined): grpc.Metadata {
  const md = new grpc.Metadata()
  if (t !== undefined) md.set('authorization', `Bearer ${t}`)
  return md
}

/** A unary call's error (null on success) and response; never rejects, so a test asserts on the status itself. */
function unary<T>(start: (md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res?: T) => void) => void, t: string | undefined) {
  return new Promise<{ err: grpc.ServiceError | null; res?: T }>((resolve) => start(metadata(t), (err, res) => resolve({ err, res })))
}

describe('fabrik server: gRPC refusals (REAPI, ByteStream, fabrik.v1.FabrikCache)', () => {
  let s: TestServer
  let key: TestKey
  let other: TestKey
  let clients: ReturnType<typeof makeClients>
  let fabrik: FabrikCacheClient
  before(async () => {
    key = await makeKey('k1')
    other = await makeKey('stranger')
    s = await startServerWithKeys([key])
    clients = makeClients(s.grpc)
    fabrik = new (loadProtos().fabrik.v1.FabrikCache)(s.grpc, grpc.credentials.createInsecure()) as unknown as FabrikCacheClient
  })
  after(async () => {
    for (const c of Object.values(clients)) c.close()
    fabrik?.close()
    await s?.close()
  })

  const entries = async () => ((await (await fetch(`${s.http}/health`)).json()) as { store: { entries: number } }).store.entries

  const batchUpdate = (t: string | undefined, blob: Buffer, instance = '') =>
    unary((md, cb) => clients.cas.BatchUpdateBlobs({ instance_name: instance, requests: [{ digest: digestOf(blob), data: blob }] }, md, cb), t)

  /** fabrik.v1.FabrikCache Put: a header, then the bytes (a client stream, as a daemon's regional layer sends). */
  const fabrikPut = (t: string | undefined, namespace: string, k: string, data: Buffer) =>
    new Promise<grpc.ServiceError | null>((resolve) => {
      const stream = fabrik.Put(metadata(t), (err) => resolve(err))
      stream.on('error', () => undefined)
      stream.write({ header: { namespace, key: k, size: data.length, sha256: sha(data) } })
      stream.write({ data })
      stream.end()
    })

  /** ByteStream Write of a whole blob in one message. */
  const bsWrite = (t: string | undefined, resource: string, data: Buffer) =>
    new Promise<grpc.ServiceError | null>((resolve) => {
      const stream = clients.bytestream.Write(metadata(t), (err: grpc.ServiceError | null) => resolve(err))
      stream.on('error', () => undefined)
      stream.write({ resource_name: resource, write_offset: '0', data, finish_write: true })
      stream.end()
    })

  const bsRead = (t: string | undefined, resource: string) =>
    new Promise<{ err: grpc.ServiceError | null; data: Buffer }>((resolve) => {
      const chunks: Buffer[] = []
      const stream = clients.bytestream.Read({ resource_name: resource }, metadata(t))
      stream.on('data', (m: { data: Buffer }) => chunks.push(m.data))
      stream.on('error', (err: grpc.ServiceError) => resolve({ err, data: Buffer.concat(chunks) }))
      stream.on('end', () => resolve({ err: null, data: Buffer.concat(chunks) }))
    })

  it('refuses every bad token on BatchUpdateBlobs and FabrikCache.Put with UNAUTHENTICATED and the reason, storing nothing', async () => {
    const cases = await refusedTokens(key, other)
    const stored = await entries()
    for (const [what, t, reason] of cases) {
      const blob = Buffer.from(`reapi write with ${what}`)
      const reapi = (await batchUpdate(t, blob)).err
      assert.equal(reapi?.code, grpc.status.UNAUTHENTICATED, `BatchUpdateBlobs, ${what}: ${reapi?.details}`)
      assert.match(reapi.details, reason, `BatchUpdateBlobs, ${what}`)
      const put = await fabrikPut(t, 'nx', sha(what), Buffer.from(`fabrik put with ${what}`))
      assert.equal(put?.code, grpc.status.UNAUTHENTICATED, `FabrikCache.Put, ${what}: ${put?.details}`)
      assert.match(put.details, reason, `FabrikCache.Put, ${what}`)
    }
    assert.equal(await entries(), stored, 'nothing was stored')
  })

  it('refuses a write without cache:write with PERMISSION_DENIED on BatchUpdateBlobs and FabrikCache.Put, storing nothing', async () => {
    const reader = await token(key, { project_id: 'readers', permissions: ['cache:read'] })
    const stored = await entries()
    const reapi = (await batchUpdate(reader, Buffer.from('read-only reapi'))).err
    assert.equal(reapi?.code, grpc.status.PERMISSION_DENIED, reapi?.details)
    assert.match(reapi.details, /cache:write/)
    const put = await fabrikPut(reader, 'nx', 'read-only', Buffer.from('read-only put'))
    assert.equal(put?.code, grpc.status.PERMISSION_DENIED, put?.details)
    assert.match(put.details, /cache:write/)
    assert.equal(await entries(), stored, 'nothing was stored')
    // The same token reads: the refusal was about the permission, not the token.
    const read = await unary<{ entries: { found: boolean }[] }>((md, cb) => fabrik.Exists({ entries: [{ namespace: 'nx', key: 'read-only' }] }, md, cb), reader)
    assert.equal(read.err, null)
    assert.equal(read.res?.entries[0]?.found, false)
  })

  it('serves Bazel instance names that are empty, the tenant or <tenant>/...; refuses another tenant\'s with PERMISSION_DENIED, storing nothing', async () => {
    const b = await token(key, { project_id: 'tenant-b' })
    const blob = Buffer.from('bazel output of tenant b')
    const d = digestOf(blob)
    const action = digestOf(Buffer.from('an action of tenant b'))
    const foreign = ['tenant-a', 'tenant-a/ci', 'tenant-bx', 'tenant-b-other/ci', 'main']
    const stored = await entries()
    for (const instance of foreign) {
      const refusals: [string, grpc.ServiceError | null][] = [
        ['GetCapabilities', (await unary((md, cb) => clients.capabilities.GetCapabilities({ instance_name: instance }, md, cb), b)).err],
        ['FindMissingBlobs', (await unary((md, cb) => clients.cas.FindMissingBlobs({ instance_name: instance, blob_digests: [d] }, md, cb), b)).err],
        ['BatchUpdateBlobs', (await batchUpdate(b, blob, instance)).err],
        ['BatchReadBlobs', (await unary((md, cb) => clients.cas.BatchReadBlobs({ instance_name: instance, digests: [d] }, md, cb), b)).err],
        ['GetActionResult', (await unary((md, cb) => clients.ac.GetActionResult({ instance_name: instance, action_digest: action }, md, cb), b)).err],
        ['UpdateActionResult', (await unary((md, cb) => clients.ac.UpdateActionResult({ instance_name: instance, action_digest: action, action_result: { exit_code: 0 } }, md, cb), b)).err],
        ['ByteStream.Write', await bsWrite(b, `${instance}/uploads/${randomUUID()}/blobs/${d.hash}/${d.size_bytes}`, blob)],
        ['ByteStream.Read', (await bsRead(b, `${instance}/blobs/${d.hash}/${d.size_bytes}`)).err],
        ['QueryWriteStatus', (await unary((md, cb) => clients.bytestream.QueryWriteStatus({ resource_name: `${instance}/uploads/${randomUUID()}/blobs/${d.hash}/${d.size_bytes}` }, md, cb), b)).err],
      ]
      for (const [rpc, err] of refusals) {
        assert.equal(err?.code, grpc.status.PERMISSION_DENIED, `${rpc} with instance ${instance}: ${err?.code} ${err?.details}`)
        assert.match(err.details, /not tenant tenant-b's/, `${rpc} with instance ${instance}`)
      }
    }
    assert.equal(await entries(), stored, 'nothing was stored')

    for (const instance of ['', 'tenant-b', 'tenant-b/ci']) {
      const mine = Buffer.from(`bazel output of tenant b, instance "${instance}"`)
      const md = digestOf(mine)
      assert.equal(await bsWrite(b, `${instance === '' ? '' : `${instance}/`}uploads/${randomUUID()}/blobs/${md.hash}/${md.size_bytes}`, mine), null, `Write with instance "${instance}"`)
      const back = await bsRead(b, `${instance === '' ? '' : `${instance}/`}blobs/${md.hash}/${md.size_bytes}`)
      assert.equal(back.err, null, `Read with instance "${instance}"`)
      assert.deepEqual(back.data, mine)
      assert.equal((await batchUpdate(b, blob, instance)).err, null, `BatchUpdateBlobs with instance "${instance}"`)
    }
  })

  it('keeps partial ByteStream uploads per tenant: another tenant naming the same upload sees none of it and cannot resume it', async () => {
    const a = await token(key, { project_id: 'tenant-a' })
    const b = await token(key, { project_id: 'tenant-b' })
    // Large enough to be resumable (RESUMABLE_MIN_BYTES); the empty instance name is valid for every tenant.
    const blob = Buffer.alloc(16 * 1024 * 1024 + 5, 7)
    const d = digestOf(blob)
    const resource = `uploads/${randomUUID()}/blobs/${d.hash}/${d.size_bytes}`
    const cut = 1024 * 1024
    const write = (t: string, offset: number, data: Buffer, finish: boolean) =>
      new Promise<{ err: grpc.ServiceError | null; res?: { committed_size: string } }>((resolve) => {
        const stream = clients.bytestream.Write(metadata(t), (err: grpc.ServiceError | null, res?: { committed_size: string }) => resolve({ err, res }))
        stream.on('error', () => undefined)
        // In 1 MiB messages, as Bazel sends (one message of the whole blob would pass gRPC's message limit).
        for (let at = 0; at < data.length; at += cut) {
          const last = at + cut >= data.length
          stream.write({ resource_name: resource, write_offset: String(offset + at), data: data.subarray(at, at + cut), finish_write: finish && last })
        }
        stream.end()
      })
    const status = async (t: string) => {
      const r = await unary<{ committed_size: string; complete: boolean }>((md, cb) => clients.bytestream.QueryWriteStatus({ resource_name: resource }, md, cb), t)
      assert.equal(r.err, null)
      return Number(r.res!.committed_size)
    }

    const first = await write(a, 0, blob.subarray(0, cut), false)
    assert.equal(first.err, null, first.err?.details)
    assert.equal(Number(first.res!.committed_size), cut)
    assert.equal(await status(a), cut, 'tenant a sees its own committed bytes')
    assert.equal(await status(b), 0, 'tenant b, naming the same upload, sees nothing of it')
    const resumed = await write(b, cut, blob.subarray(cut), true)
    assert.equal(resumed.err?.code, grpc.status.INVALID_ARGUMENT, 'tenant b cannot continue tenant a\'s upload')
    assert.equal(await status(a), cut, 'and tenant a\'s upload is untouched')
    const done = await write(a, cut, blob.subarray(cut), true)
    assert.equal(done.err, null, done.err?.details)
    const back = await bsRead(a, `blobs/${d.hash}/${d.size_bytes}`)
    assert.equal(back.err, null)
    assert.equal(sha(back.data), d.hash)
    assert.equal((await bsRead(b, `blobs/${d.hash}/${d.size_bytes}`)).err?.code, grpc.status.NOT_FOUND, 'stored in tenant a only')
  })

  it('a daemon naming another tenant\'s stored namespace reaches only its own tenant\'s entries', async () => {
    const a = await token(key, { project_id: 'tenant-a' })
    const b = await token(key, { project_id: 'tenant-b' })
    const secret = Buffer.from('nx output of tenant a')
    assert.equal(await fabrikPut(a, 'nx', 'secret', secret), null)
    const own = await unary<{ entries: { found: boolean }[] }>((md, cb) => fabrik.Exists({ entries: [{ namespace: 'nx', key: 'secret' }] }, md, cb), a)
    assert.equal(own.res?.entries[0]?.found, true, 'tenant a sees its entry')
    // What the entry is stored under (t.tenant-a.nx), named by tenant b, is scoped again by b's own tenant.
    for (const namespace of ['nx', scopedNamespace('tenant-a', 'nx')]) {
      const seen = await unary<{ entries: { found: boolean }[] }>((md, cb) => fabrik.Exists({ entries: [{ namespace, key: 'secret' }] }, md, cb), b)
      assert.equal(seen.err, null)
      assert.equal(seen.res?.entries[0]?.found, false, `tenant b does not see it as ${namespace}`)
      const got = await new Promise<grpc.ServiceError | null>((resolve) => {
        const stream = fabrik.Get({ namespace, key: 'secret' }, metadata(b))
        stream.on('data', () => undefined)
        stream.on('error', resolve)
        stream.on('end', () => resolve(null))
      })
      assert.equal(got?.code, grpc.status.NOT_FOUND, `tenant b cannot get it as ${namespace}`)
    }
  })
})
