import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { makeApp, scrape, type TestApp } from './helpers.js'

describe('nx self-hosted cache routes', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.app.close()
  })

  test('a PUT answers exactly 200 and GET returns the bytes', async () => {
    const body = Buffer.from('gzip tar of outputs')
    const put = await t.app.inject({ method: 'PUT', url: '/v1/cache/1234567890', headers: { authorization: 'Bearer tok', 'content-type': 'application/octet-stream' }, payload: body })
    assert.equal(put.statusCode, 200)
    const get = await t.app.inject({ method: 'GET', url: '/v1/cache/1234567890' })
    assert.equal(get.statusCode, 200)
    assert.deepEqual(get.rawPayload, body)
    assert.equal(get.headers['content-length'], String(body.length))
  })

  test('a second PUT of the same hash is a 409 and keeps the first bytes', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/v1/cache/1234567890', payload: Buffer.from('different') })
    assert.equal(put.statusCode, 409)
    assert.equal(put.json().code, 'ALREADY_EXISTS')
    const get = await t.app.inject({ method: 'GET', url: '/v1/cache/1234567890' })
    assert.equal(get.body, 'gzip tar of outputs')
  })

  test('the 409 is not counted as an error in /metrics', async () => {
    const text = await scrape(t.app)
    assert.match(text, /fabrik_requests_total\{protocol="http",tool="nx",method="PUT",outcome="ok"\} 1/)
    assert.doesNotMatch(text, /tool="nx",method="PUT",outcome="error"/)
  })

  test('an unknown hash is a 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/cache/999' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'NOT_FOUND')
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/v1/cache/999' })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/v1/cache/1234567890' })).statusCode, 200)
  })

  test('an invalid hash is a 400 INVALID_KEY', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/cache/a..b', payload: Buffer.from('x') })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_KEY')
  })
})
