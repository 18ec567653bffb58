import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { makeKey, startServerWithKeys, token, type TestKey, type TestServer } from './helpers.js'

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

interface Exchange {
  status: number
  body: string
  /** Whether the server sent 100 Continue (the client sent its body only then). */
  continued: boolean
}

/**
 * A PUT as Gradle and curl send large uploads: headers with "Expect: 100-continue", the body only once the server
 * answers 100. If the server answers anything else first, the body is never sent.
 */
function putExpectingContinue(url: string, body: Buffer, headers: Record<string, string>): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    let continued = false
    const req = request(new URL(url), {
      method: 'PUT',
      headers: { ...headers, expect: '100-continue', 'content-length': String(body.length), 'content-type': 'application/octet-stream' },
      timeout: 10_000,
    })
    req.on('continue', () => {
      continued = true
      req.end(body)
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), continued })
        req.destroy()
      })
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.flushHeaders()
  })
}

describe('fabrik server: Expect: 100-continue is answered after the token check', () => {
  let s: TestServer
  let key: TestKey
  before(async () => {
    key = await makeKey('k1')
    s = await startServerWithKeys([key])
  })
  after(() => s?.close())

  const entries = async () => ((await (await fetch(`${s.http}/health`)).json()) as { store: { entries: number } }).store.entries
  const body = Buffer.alloc(4 << 20, 7)
  const url = `/v1/cache/${sha(body)}`

  it('refuses a bad token with 401 before the client sends its body', async () => {
    const stored = await entries()
    const expired = await token(key, { expIn: -3600 })
    const refusals: [string, Record<string, string>][] = [
      ['no token', {}],
      ['an expired token', { authorization: `Bearer ${expired}` }],
    ]
    for (const [what, headers] of refusals) {
      const r = await putExpectingContinue(`${s.http}${url}`, body, headers)
      assert.equal(r.status, 401, `${what}: ${r.status} ${r.body}`)
      assert.equal(r.continued, false, `${what}: no 100 Continue was sent, so no body byte crossed the wire`)
    }
    assert.equal(await entries(), stored, 'nothing was stored')
  })

  it('refuses a token without cache:write with 403 before the body', async () => {
    const reader = await token(key, { permissions: ['cache:read'] })
    const r = await putExpectingContinue(`${s.http}${url}`, body, { authorization: `Bearer ${reader}` })
    assert.equal(r.status, 403, r.body)
    assert.equal(r.continued, false)
  })

  it('sends 100 Continue to a valid token, then stores the body', async () => {
    const writer = await token(key)
    const r = await putExpectingContinue(`${s.http}${url}`, body, { authorization: `Bearer ${writer}` })
    assert.equal(r.continued, true)
    assert.equal(r.status, 200, r.body)
    const got = await fetch(`${s.http}${url}`, { headers: { authorization: `Bearer ${writer}` } })
    assert.equal(got.status, 200)
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), body)
  })
})
