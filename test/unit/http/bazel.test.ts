import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { EMPTY_SHA256 } from '../../../src/store/keys.js'
import { makeApp, sha256, type TestApp } from './helpers.js'

describe('bazel HTTP cache routes', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.app.close()
  })

  const blob = Buffer.from('output file contents')
  const digest = sha256(blob)

  test('a CAS blob PUT under its sha256 is stored in the shared "cas" namespace and read back', async () => {
    const put = await t.app.inject({ method: 'PUT', url: `/cas/${digest}`, headers: { authorization: 'Basic dTpw' }, payload: blob })
    assert.equal(put.statusCode, 200)
    assert.equal(await t.store.has('cas', digest), true)
    const get = await t.app.inject({ method: 'GET', url: `/cas/${digest}` })
    assert.equal(get.statusCode, 200)
    assert.deepEqual(get.rawPayload, blob)
    assert.equal(get.headers['content-length'], String(blob.length))
  })

  test('a CAS body that does not hash to its key is a 400 DIGEST_MISMATCH and nothing is stored', async () => {
    const wrong = sha256('something else')
    const res = await t.app.inject({ method: 'PUT', url: `/cas/${wrong}`, payload: blob })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'DIGEST_MISMATCH')
    assert.equal(await t.store.has('cas', wrong), false)
  })

  test('an action result is stored under /ac without content verification, apart from CAS', async () => {
    const actionDigest = sha256('action')
    const result = Buffer.from([0x0a, 0x02, 0x08, 0x01])
    assert.equal((await t.app.inject({ method: 'PUT', url: `/ac/${actionDigest}`, payload: result })).statusCode, 200)
    const get = await t.app.inject({ method: 'GET', url: `/ac/${actionDigest}` })
    assert.deepEqual(get.rawPayload, result)
    assert.equal(await t.store.has('cas', actionDigest), false)
    assert.equal(await t.store.has('bazel-ac', actionDigest), true)
  })

  test('a miss is a 404 for /ac and /cas', async () => {
    const unknown = sha256('unknown')
    assert.equal((await t.app.inject({ method: 'GET', url: `/ac/${unknown}` })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'GET', url: `/cas/${unknown}` })).statusCode, 404)
  })

  test('HEAD reports presence and size', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: `/cas/${digest}` })
    assert.equal(head.statusCode, 200)
    assert.equal(head.headers['content-length'], String(blob.length))
    assert.equal((await t.app.inject({ method: 'HEAD', url: `/cas/${sha256('nope')}` })).statusCode, 404)
  })

  test('the empty blob always exists', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/cas/${EMPTY_SHA256}` })
    assert.equal(res.statusCode, 200)
    assert.equal(res.rawPayload.length, 0)
  })

  test('keys that are not lowercase sha256 hex are a 400 INVALID_DIGEST', async () => {
    for (const url of ['/cas/abc', `/ac/${digest.toUpperCase()}`, `/cas/${digest}0`]) {
      const res = await t.app.inject({ method: 'PUT', url, payload: blob })
      assert.equal(res.statusCode, 400, url)
      assert.equal(res.json().code, 'INVALID_DIGEST')
    }
  })

  test('a CAS body above the size limit is a 413 and nothing is stored', async () => {
    const small = await makeApp({ maxBlobBytes: 8 })
    const res = await small.app.inject({ method: 'PUT', url: `/cas/${digest}`, payload: blob })
    assert.equal(res.statusCode, 413)
    assert.equal(await small.store.has('cas', digest), false)
    await small.app.close()
  })
})
