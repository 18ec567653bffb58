import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ccacheKey } from '../../../src/http/ccache/layout.js'
import { makeApp, sha256, type TestApp } from './helpers.js'

// ccache 4.x keys: two base16 characters then base32hex, e.g. "4b1c2tqkq0ev8iqqo8sbg4ktsvt2bbmki".
const KEY = '4b1c2tqkq0ev8iqqo8sbg4ktsvt2bbmki'
const HEX40 = sha256('ccache').slice(0, 40)
const BAZEL_KEY = HEX40 + HEX40.slice(0, 24)

describe('ccache path layouts', () => {
  test('subdirs layout joins the two-character directory and the file name', () => {
    assert.deepEqual(ccacheKey(`/ccache/${KEY.slice(0, 2)}/${KEY.slice(2)}`), { layout: 'subdirs', key: KEY })
    assert.deepEqual(ccacheKey(`/${KEY.slice(0, 2)}/${KEY.slice(2)}`), { layout: 'subdirs', key: KEY })
  })

  test('flat layout uses the last segment', () => {
    assert.deepEqual(ccacheKey(`/ccache/${KEY}`), { layout: 'flat', key: KEY })
    assert.deepEqual(ccacheKey(`/${KEY}`), { layout: 'flat', key: KEY })
  })

  test('bazel layout takes the 64 hex characters after /ac/', () => {
    assert.deepEqual(ccacheKey(`/ccache/ac/${BAZEL_KEY}`), { layout: 'bazel', key: BAZEL_KEY })
  })

  test('"/" names no key, and dot segments are refused', () => {
    assert.equal(ccacheKey('/'), undefined)
    assert.throws(() => ccacheKey('/ccache/../ab/cd'), { code: 'INVALID_KEY' })
  })
})

describe('ccache routes', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.app.close()
  })

  const layouts = {
    subdirs: `/ccache/${KEY.slice(0, 2)}/${KEY.slice(2)}`,
    flat: `/team/ccache/${KEY}x`,
    bazel: `/ccache/ac/${BAZEL_KEY}`,
  }

  for (const [layout, url] of Object.entries(layouts)) {
    test(`${layout} layout: PUT, HEAD, GET, DELETE, then a miss`, async () => {
      const body = Buffer.from(`result for ${layout}`)
      const put = await t.app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer x' }, payload: body })
      assert.equal(put.statusCode, 200)
      const head = await t.app.inject({ method: 'HEAD', url })
      assert.equal(head.statusCode, 200)
      assert.equal(head.headers['content-length'], String(body.length))
      const get = await t.app.inject({ method: 'GET', url })
      assert.equal(get.statusCode, 200)
      assert.deepEqual(get.rawPayload, body)
      assert.equal((await t.app.inject({ method: 'DELETE', url })).statusCode, 200)
      assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404)
      assert.equal((await t.app.inject({ method: 'HEAD', url })).statusCode, 404)
      assert.equal((await t.app.inject({ method: 'DELETE', url })).statusCode, 404)
    })
  }

  test('the same key under the subdirs and flat layouts is the same entry', async () => {
    await t.app.inject({ method: 'PUT', url: `/a/${KEY.slice(0, 2)}/${KEY.slice(2)}`, payload: Buffer.from('shared') })
    const get = await t.app.inject({ method: 'GET', url: `/b/c/${KEY}` })
    assert.equal(get.body, 'shared')
  })

  test('a path with an invalid key segment is a 400 INVALID_KEY', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/ccache/ab/c%20d', payload: Buffer.from('x') })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_KEY')
  })

  test('GET / is a plain 404, not a cache lookup', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' })
    assert.equal(res.statusCode, 404)
    assert.match(res.json().message, /no route/)
  })

  test('an oversized upload is a 413 and nothing is stored', async () => {
    const small = await makeApp({ maxBlobBytes: 4 })
    const res = await small.app.inject({ method: 'PUT', url: `/ccache/${KEY}`, payload: Buffer.from('too long') })
    assert.equal(res.statusCode, 413)
    assert.equal(await small.store.has('ccache', KEY), false)
    await small.app.close()
  })

  test('a bare /ac/<hex> belongs to Bazel, not ccache', async () => {
    const hex = sha256('x')
    await t.app.inject({ method: 'PUT', url: `/ac/${hex}`, payload: Buffer.from('a') })
    assert.equal(await t.store.has('bazel-ac', hex), true)
    assert.equal(await t.store.has('ccache', hex), false)
  })
})
