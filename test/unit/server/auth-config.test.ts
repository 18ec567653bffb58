import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { http } from '../../helpers/http.js'
import { makeClients } from '../grpc/helpers.js'
import { makeKey, startServer, token, type TestServer } from './helpers.js'

// The [auth] settings besides the key file: required = false, issuer/audience, an inline public_key.

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')
const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
const entries = async (s: TestServer) => ((await (await fetch(`${s.http}/health`)).json()) as { store: { entries: number } }).store.entries

function errorOf(body: Buffer): { code: string; message: string } {
  return JSON.parse(body.toString()) as { code: string; message: string }
}

describe('fabrik server: [auth] required = false', () => {
  it('without keys: anonymous requests read (a miss, not a refusal) and may not write, over HTTP and gRPC', async () => {
    const s = await startServer((c) => {
      c.auth.required = false
    })
    const clients = makeClients(s.grpc)
    try {
      const blob = Buffer.from('anonymous upload')
      assert.equal((await http('GET', `${s.http}/v1/cache/${sha(blob)}`)).status, 404)
      const stored = await entries(s)
      const put = await http('PUT', `${s.http}/v1/cache/${sha(blob)}`, blob)
      assert.equal(put.status, 403, put.body.toString())
      assert.equal(errorOf(put.body).code, 'PERMISSION_DENIED')
      assert.match(errorOf(put.body).message, /cache:write/)

      const digest = { hash: sha(blob), size_bytes: String(blob.length) }
      const missing = await new Promise<{ err: grpc.ServiceError | null; res?: { missing_blob_digests: unknown[] } }>((resolve) =>
        clients.cas.FindMissingBlobs({ blob_digests: [digest] }, (err: grpc.ServiceError | null, res?: { missing_blob_digests: unknown[] }) => resolve({ err, res })))
      assert.equal(missing.err, null)
      assert.equal(missing.res?.missing_blob_digests.length, 1)
      const upload = await new Promise<grpc.ServiceError | null>((resolve) =>
        clients.cas.BatchUpdateBlobs({ requests: [{ digest, data: blob }] }, (err: grpc.ServiceError | null) => resolve(err)))
      assert.equal(upload?.code, grpc.status.PERMISSION_DENIED, upload?.details)
      assert.equal(await entries(s), stored, 'nothing was stored')
    } finally {
      for (const c of Object.values(clients)) c.close()
      await s.close()
    }
  })

  it('with keys: a valid token writes, an anonymous reader cannot see its tenant, a bad token is still refused', async () => {
    const key = await makeKey('k1')
    const s = await startServer((c) => {
      c.auth.required = false
      c.auth.public_key = key.spki
    })
    try {
      const writer = await token(key, { project_id: 'acme' }, { kid: null })
      const path = `/v1/cache/${sha('acme entry')}`
      assert.equal((await http('PUT', `${s.http}${path}`, 'acme entry', bearer(writer))).status, 200)
      assert.equal((await http('GET', `${s.http}${path}`, undefined, bearer(writer))).body.toString(), 'acme entry')
      assert.equal((await http('GET', `${s.http}${path}`)).status, 404, 'anonymous reads its own tenant only')
      assert.equal((await http('PUT', `${s.http}${path}`, 'anonymous')).status, 403)
      const expired = await http('GET', `${s.http}${path}`, undefined, bearer(await token(key, { expIn: -3600 }, { kid: null })))
      assert.equal(expired.status, 401, 'a token that fails is refused, never downgraded to anonymous')
      assert.match(errorOf(expired.body).message, /expired/)
    } finally {
      await s.close()
    }
  })
})

describe('fabrik server: [auth] issuer and audience', () => {
  it('refuses a token of another issuer or audience, or without them, with 401 and the claim at fault', async () => {
    const key = await makeKey('k1')
    const s = await startServer((c) => {
      c.auth.public_key = JSON.stringify({ keys: [key.publicJwk] })
      c.auth.issuer = 'https://issuer.example'
      c.auth.audience = 'fabrik'
    })
    try {
      const path = `/v1/cache/${sha('iss-aud')}`
      const good = await token(key, { iss: 'https://issuer.example', aud: 'fabrik' })
      assert.equal((await http('GET', `${s.http}${path}`, undefined, bearer(good))).status, 404, 'the right iss and aud are served')
      const stored = await entries(s)
      const cases: [string, string, RegExp][] = [
        ['another issuer', await token(key, { iss: 'https://elsewhere.example', aud: 'fabrik' }), /"iss" claim/],
        ['no issuer', await token(key, { aud: 'fabrik' }), /"iss" claim/],
        ['another audience', await token(key, { iss: 'https://issuer.example', aud: 'other-service' }), /"aud" claim/],
        ['no audience', await token(key, { iss: 'https://issuer.example' }), /"aud" claim/],
      ]
      for (const [what, t, reason] of cases) {
        const r = await http('PUT', `${s.http}${path}`, what, bearer(t))
        assert.equal(r.status, 401, `${what}: ${r.status} ${r.body}`)
        assert.equal(errorOf(r.body).code, 'UNAUTHENTICATED', what)
        assert.match(errorOf(r.body).message, reason, what)
      }
      assert.equal(await entries(s), stored, 'nothing was stored')
    } finally {
      await s.close()
    }
  })
})

describe('fabrik server: [auth] public_key inline', () => {
  it('verifies tokens with an inline PEM key and refuses those signed by another key', async () => {
    const key = await makeKey('k1')
    const other = await makeKey('k2')
    const s = await startServer((c) => {
      c.auth.public_key = key.spki
    })
    try {
      // A PEM key has no kid, so tokens for it carry none (src/auth/keys.ts parseKeys).
      const t = await token(key, { project_id: 'inline' }, { kid: null })
      const path = `/v1/cache/${sha('inline')}`
      assert.equal((await http('PUT', `${s.http}${path}`, 'inline', bearer(t))).status, 200)
      assert.equal((await http('GET', `${s.http}${path}`, undefined, bearer(t))).body.toString(), 'inline')
      const forged = await http('GET', `${s.http}${path}`, undefined, bearer(await token(other, { project_id: 'inline' }, { kid: null })))
      assert.equal(forged.status, 401)
      assert.match(errorOf(forged.body).message, /signature/)
    } finally {
      await s.close()
    }
  })
})
