import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { makeApp, type TestApp } from './helpers.js'

describe('metro routes', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.app.close()
  })

  test('a PUT of a hex key is read back by GET', async () => {
    const body = Buffer.from('gzipped transform result')
    assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/artifacts/00ff17', payload: body })).statusCode, 200)
    const get = await t.app.inject({ method: 'GET', url: '/api/v1/artifacts/00ff17' })
    assert.equal(get.statusCode, 200)
    assert.deepEqual(get.rawPayload, body)
  })

  test('hex keys are case-insensitive', async () => {
    const get = await t.app.inject({ method: 'GET', url: '/api/v1/artifacts/00FF17' })
    assert.equal(get.statusCode, 200)
  })

  test('an unknown key is a 404', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/artifacts/abcdef' })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/api/v1/artifacts/abcdef' })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/api/v1/artifacts/00ff17' })).statusCode, 200)
  })

  test('a key that is not hex is a 400 INVALID_KEY and nothing is stored', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/artifacts/xyz', payload: Buffer.from('x') })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_KEY')
    assert.equal(await t.store.has('metro', 'xyz'), false)
  })
})
