import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { http } from '../../helpers/http.js'
import { makeClients } from '../grpc/helpers.js'
import { makeKey, refusedTokens, startServer, startServerWithKeys, token, writeKeys, type TestKey, type TestServer } from './helpers.js'

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')
const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

describe('fabrik server: JWT on every HTTP and gRPC request', () => {
  let s: TestServer
  let key: TestKey
  let other: TestKey
  before(async () => {
    key = await makeKey('k1')
    other = await makeKey('stranger')
    s = await startServerWithKeys([key])
  })
  after(() => s.close())

  const put = (t: string | undefined, path: string, body: string) => http('PUT', `${s.http}${path}`, body, t === undefined ? {} : bearer(t))
  const get = (t: string | undefined, path: string) => http('GET', `${s.http}${path}`, undefined, t === undefined ? {} : bearer(t))
  const entries = async () => ((await (await fetch(`${s.http}/health`)).json()) as { store: { entries: number } }).store.entries

  it('refuses bad tokens with 401 and the reason, and stores nothing', async () => {
    const cases = await refusedTokens(key, other)
    const before = await entries()
    for (const [what, t, reason] of cases) {
      const r = await put(t, `/v1/cache/${sha(what)}`, what)
      assert.equal(r.status, 401, `${what}: ${r.status} ${r.body}`)
      const body = JSON.parse(r.body.toString()) as { code: string; message: string }
      assert.equal(body.code, 'UNAUTHENTICATED', what)
      assert.match(body.message, reason, what)
    }
    assert.equal(await entries(), before, 'nothing was stored')
  })

  it('refuses a PUT without cache:write with 403, and serves reads with cache:read', async () => {
    const writer = await token(key, { sub: 'w', project_id: 'acme' })
    const reader = await token(key, { sub: 'r', project_id: 'acme', permissions: ['cache:read'] })
    const stored = await entries()
    const denied = await put(reader, `/v1/cache/${sha('ro')}`, 'ro')
    assert.equal(denied.status, 403)
    assert.equal((JSON.parse(denied.body.toString()) as { code: string }).code, 'PERMISSION_DENIED')
    assert.equal(await entries(), stored, 'nothing was stored')
    assert.equal((await put(writer, `/v1/cache/${sha('rw')}`, 'rw')).status, 200)
    const got = await get(reader, `/v1/cache/${sha('rw')}`)
    assert.equal(got.status, 200)
    assert.equal(got.body.toString(), 'rw')
  })

  it('answers turbo\'s batch existence query (POST /v8/artifacts) to a token with cache:read only', async () => {
    const writer = await token(key, { project_id: 'batch-team' })
    const reader = await token(key, { project_id: 'batch-team', permissions: ['cache:read'] })
    assert.equal((await put(writer, '/v8/artifacts/batchhash?slug=batch-team', 'artifact')).status, 200)
    const query = JSON.stringify({ hashes: ['batchhash', 'absent'] })
    const r = await http('POST', `${s.http}/v8/artifacts?slug=batch-team`, query, { ...bearer(reader), 'content-type': 'application/json' })
    assert.equal(r.status, 200, r.body.toString())
    const answer = JSON.parse(r.body.toString()) as Record<string, { size?: number; error?: unknown }>
    assert.equal(answer.batchhash?.size, 'artifact'.length)
    assert.ok(answer.absent?.error, 'an absent hash is reported as not found')
  })

  it('keeps tenants apart: another tenant\'s keys are invisible, and naming another team is refused', async () => {
    const a = await token(key, { project_id: 'tenant-a' })
    const b = await token(key, { project_id: 'tenant-b' })
    assert.equal((await put(a, `/v1/cache/${sha('secret of a')}`, 'secret of a')).status, 200)
    assert.equal((await get(b, `/v1/cache/${sha('secret of a')}`)).status, 404)
    assert.equal((await put(a, '/v8/artifacts/abc?slug=tenant-a', 'turbo of a')).status, 200)
    assert.equal((await get(b, '/v8/artifacts/abc?slug=tenant-b')).status, 404)
    const named = await get(b, '/v8/artifacts/abc?slug=tenant-a')
    assert.equal(named.status, 403, 'a token of tenant-b naming team tenant-a is refused')
    const stored = await entries()
    assert.equal((await put(b, '/v8/artifacts/abc?slug=tenant-a', 'poison')).status, 403)
    assert.equal(await entries(), stored, 'the cross-tenant write stored nothing')
    assert.equal((await get(a, '/v8/artifacts/abc?slug=tenant-a')).body.toString(), 'turbo of a', 'tenant-a\'s entry is untouched')
  })

  it('refuses turbo requests naming another tenant by teamId, by a repeated slug, or in the batch query; nothing stored', async () => {
    const a = await token(key, { project_id: 'team-a' })
    const b = await token(key, { project_id: 'team-b' })
    assert.equal((await put(a, '/v8/artifacts/t1?teamId=team_team-a', 'turbo of a')).status, 200, 'team_<tenant> is the tenant')
    assert.equal((await get(a, '/v8/artifacts/t1?teamId=team_team-a')).body.toString(), 'turbo of a')
    const stored = await entries()
    const refusals: [string, () => Promise<{ status: number; body: Buffer }>][] = [
      ['GET by teamId', () => get(b, '/v8/artifacts/t1?teamId=team_team-a')],
      ['PUT by teamId', () => put(b, '/v8/artifacts/t1?teamId=team_team-a', 'poison')],
      ['PUT by teamId, own slug', () => put(b, '/v8/artifacts/t1?slug=team-b&teamId=team_team-a', 'poison')],
      ['PUT by a repeated slug', () => put(b, '/v8/artifacts/t1?slug=team-b&slug=team-a', 'poison')],
      ['batch query', () => http('POST', `${s.http}/v8/artifacts?teamId=team_team-a`, '{"hashes":["t1"]}', { ...bearer(b), 'content-type': 'application/json' })],
    ]
    for (const [what, send] of refusals) {
      const r = await send()
      assert.equal(r.status, 403, `${what}: ${r.status} ${r.body}`)
      assert.match((JSON.parse(r.body.toString()) as { message: string }).message, /not team_team-a|not team-a/, what)
    }
    assert.equal(await entries(), stored, 'nothing was stored')
    assert.equal((await get(a, '/v8/artifacts/t1?teamId=team_team-a')).body.toString(), 'turbo of a', 'team-a\'s entry is untouched')
  })

  it('accepts the token as the Basic password (Gradle)', async () => {
    const t = await token(key, { project_id: 'gradle-team' })
    const basic = { authorization: `Basic ${Buffer.from(`anyone:${t}`).toString('base64')}` }
    assert.equal((await http('PUT', `${s.http}/cache/k1`, 'gradle bytes', basic)).status, 200)
    assert.equal((await http('GET', `${s.http}/cache/k1`, undefined, basic)).body.toString(), 'gradle bytes')
  })

  it('answers /health and /ready without a token', async () => {
    assert.equal((await http('GET', `${s.http}/health`)).status, 200)
    assert.equal((await http('GET', `${s.http}/ready`)).status, 200)
  })

  it('gRPC: UNAUTHENTICATED without or with a bad token, PERMISSION_DENIED without cache:write, tenants apart', async () => {
    const clients = makeClients(s.grpc)
    const call = <T>(fn: (md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res?: T) => void) => void, t?: string) =>
      new Promise<{ err: grpc.ServiceError | null; res?: T }>((resolve) => {
        const md = new grpc.Metadata()
        if (t) md.set('authorization', `Bearer ${t}`)
        fn(md, (err, res) => resolve({ err, res }))
      })
    const blob = Buffer.from('grpc blob of a')
    const digest = { hash: sha(blob), size_bytes: String(blob.length) }
    const upload = (t?: string) => call<unknown>((md, cb) => clients.cas.BatchUpdateBlobs({ requests: [{ digest, data: blob }] }, md, cb), t)
    const missing = (t?: string) => call<{ missing_blob_digests: unknown[] }>((md, cb) => clients.cas.FindMissingBlobs({ blob_digests: [digest] }, md, cb), t)

    assert.equal((await upload()).err?.code, grpc.status.UNAUTHENTICATED)
    assert.equal((await upload(await token(key, { expIn: -60 }))).err?.code, grpc.status.UNAUTHENTICATED)
    assert.equal((await upload(await token(other))).err?.code, grpc.status.UNAUTHENTICATED)
    assert.equal((await upload(await token(key, { permissions: ['cache:read'] }))).err?.code, grpc.status.PERMISSION_DENIED)
    const a = await token(key, { project_id: 'grpc-a' })
    const b = await token(key, { project_id: 'grpc-b' })
    assert.equal((await upload(a)).err, null)
    assert.equal((await missing(a)).res?.missing_blob_digests.length, 0)
    assert.equal((await missing(b)).res?.missing_blob_digests.length, 1, 'tenant b does not see tenant a\'s blob')
    for (const c of Object.values(clients)) c.close()
  })
})

describe('fabrik server: key rotation without a restart', () => {
  it('a new kid in the key file is accepted, and the old one works until removed', async () => {
    const k1 = await makeKey('k1')
    const k2 = await makeKey('k2', 'ES256')
    let keyFile = ''
    const s = await startServer(async (c, dir) => {
      keyFile = join(dir, 'keys.json')
      c.auth.public_key_file = keyFile
      await writeKeys(keyFile, [k1])
    })
    try {
      const t1 = await token(k1)
      const t2 = await token(k2)
      const probe = (t: string) => http('GET', `${s.http}/v1/cache/${sha('x')}`, undefined, bearer(t))
      assert.equal((await probe(t1)).status, 404)
      assert.equal((await probe(t2)).status, 401)
      await writeKeys(keyFile, [k1, k2])
      await new Promise((r) => setTimeout(r, 1100)) // past the unknown-kid refetch cool-down
      assert.equal((await probe(t2)).status, 404, 'the new kid is accepted')
      assert.equal((await probe(t1)).status, 404, 'the old kid still works')
      await writeKeys(keyFile, [k2])
      const end = Date.now() + 5000
      while ((await probe(t1)).status !== 401 && Date.now() < end) await new Promise((r) => setTimeout(r, 200))
      assert.equal((await probe(t1)).status, 401, 'a removed key no longer works, even for a token verified before')
      assert.equal((await probe(t2)).status, 404)
    } finally {
      await s.close()
    }
  })

  it('JWKS: a new kid is fetched on first sight; an outage keeps the last good keys', async () => {
    const k1 = await makeKey('j1')
    const k2 = await makeKey('j2', 'EdDSA')
    let keys = [k1]
    let down = false
    const jwks: Server = createServer((_req, res) => {
      if (down) {
        res.writeHead(503).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }))
    })
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`
    const s = await startServer((c) => {
      c.auth.jwks_url = url
      c.auth.key_refresh_interval = 200
    })
    try {
      const probe = async (t: string) => (await http('GET', `${s.http}/v1/cache/${sha('y')}`, undefined, bearer(t))).status
      const t1 = await token(k1)
      const t2 = await token(k2)
      assert.equal(await probe(t1), 404)
      keys = [k1, k2]
      await new Promise((r) => setTimeout(r, 1100))
      assert.equal(await probe(t2), 404, 'the new kid is fetched and accepted')
      down = true
      await new Promise((r) => setTimeout(r, 600)) // several failed background refreshes
      assert.equal(await probe(await token(k1, { sub: 'fresh' })), 404, 'the last good keys still verify new tokens')
      down = false
      keys = [k2]
      const end = Date.now() + 5000
      while ((await probe(t1)) !== 401 && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
      assert.equal(await probe(t1), 401, 'a key removed from the JWKS stops verifying after a refresh, even a token verified before')
      assert.equal(await probe(t2), 404, 'the key that stays keeps working')
    } finally {
      await s.close()
      jwks.close()
    }
  })
})
