import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { makeApp, scrape, type TestApp } from './helpers.js'

describe('turborepo v8 routes', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.app.close()
  })

  const artifact = Buffer.from('zstd tarball bytes')

  test('a PUT stores the artifact with its duration and tag, and GET returns all three', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v8/artifacts/0123456789abcdef?slug=acme',
      headers: { 'content-type': 'application/octet-stream', 'x-artifact-duration': '431', 'x-artifact-tag': 'c2lnbmF0dXJl', authorization: 'Bearer tok' },
      payload: artifact,
    })
    assert.equal(put.statusCode, 200)
    assert.deepEqual(put.json(), { urls: ['acme/0123456789abcdef'] })

    const get = await t.app.inject({ method: 'GET', url: '/v8/artifacts/0123456789abcdef?slug=acme', headers: { authorization: 'Bearer tok' } })
    assert.equal(get.statusCode, 200)
    assert.deepEqual(get.rawPayload, artifact)
    assert.equal(get.headers['content-length'], String(artifact.length))
    assert.equal(get.headers['content-type'], 'application/octet-stream')
    assert.equal(get.headers['x-artifact-duration'], '431')
    assert.equal(get.headers['x-artifact-tag'], 'c2lnbmF0dXJl')
  })

  test('HEAD answers the same headers as GET without a body', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: '/v8/artifacts/0123456789abcdef?slug=acme' })
    assert.equal(head.statusCode, 200)
    assert.equal(head.headers['content-length'], String(artifact.length))
    assert.equal(head.headers['x-artifact-tag'], 'c2lnbmF0dXJl')
    assert.equal(head.rawPayload.length, 0)
  })

  test('an artifact stored without a tag is returned without an x-artifact-tag header', async () => {
    await t.app.inject({ method: 'PUT', url: '/v8/artifacts/aaaa?slug=acme', payload: Buffer.from('x') })
    const get = await t.app.inject({ method: 'GET', url: '/v8/artifacts/aaaa?slug=acme' })
    assert.equal(get.statusCode, 200)
    assert.equal(get.headers['x-artifact-tag'], undefined)
    assert.equal(get.headers['x-artifact-duration'], undefined)
  })

  test('an unknown hash is a 404 miss for GET and HEAD', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/v8/artifacts/ffff?slug=acme' })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/v8/artifacts/ffff?slug=acme' })).statusCode, 404)
  })

  test('team B cannot read what team A stored', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v8/artifacts/0123456789abcdef?slug=other-team' })
    assert.equal(res.statusCode, 404)
  })

  test('teamId wins over slug when turbo sends both', async () => {
    await t.app.inject({ method: 'PUT', url: '/v8/artifacts/bbbb?teamId=team_123&slug=acme', payload: Buffer.from('by id') })
    assert.equal((await t.app.inject({ method: 'GET', url: '/v8/artifacts/bbbb?teamId=team_123' })).body, 'by id')
    assert.equal((await t.app.inject({ method: 'GET', url: '/v8/artifacts/bbbb?slug=acme' })).statusCode, 404)
  })

  test('a request without slug or teamId is a 400 that names TURBO_TEAM', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v8/artifacts/cccc', payload: Buffer.from('x') })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_REQUEST')
    assert.match(res.json().message, /TURBO_TEAM/)
  })

  test('a team name with characters outside [A-Za-z0-9._-] is a 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v8/artifacts/cccc?slug=a%2Fb' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_REQUEST')
  })

  test('a hash that is not a valid key is a 400 INVALID_KEY and nothing is stored', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v8/artifacts/bad%20hash?slug=acme', payload: Buffer.from('x') })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_KEY')
  })

  test('TURBO_API with a trailing slash ("//v8/...") reaches the same routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '//v8/artifacts/0123456789abcdef?slug=acme' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.rawPayload, artifact)
  })

  test('GET /v8/artifacts/status reports caching enabled', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v8/artifacts/status?slug=acme' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { status: 'enabled' })
  })

  test('POST /v8/artifacts answers size, duration and tag per hash, and an error for missing ones', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v8/artifacts?slug=acme',
      headers: { 'content-type': 'application/json' },
      payload: { hashes: ['0123456789abcdef', 'aaaa', 'missing', 'bad hash'] },
    })
    assert.equal(res.statusCode, 200)
    const body = res.json()
    assert.deepEqual(body['0123456789abcdef'], { size: artifact.length, taskDurationMs: 431, tag: 'c2lnbmF0dXJl' })
    assert.deepEqual(body.aaaa, { size: 1, taskDurationMs: 0 })
    assert.deepEqual(body.missing, { error: { message: 'Artifact not found' } })
    assert.ok(body['bad hash'].error.message)
  })

  test('POST /v8/artifacts without a hashes array is a 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v8/artifacts?slug=acme', headers: { 'content-type': 'application/json' }, payload: { nope: 1 } })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_REQUEST')
  })

  test('a malformed JSON body is a 400 INVALID_REQUEST', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v8/artifacts/events?slug=acme', headers: { 'content-type': 'application/json' }, payload: '[{' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'INVALID_REQUEST')
  })

  test('a JSON body over 1 MiB is a 413', async () => {
    const huge = JSON.stringify({ hashes: [Buffer.alloc(1024 * 1024 + 10, 'a').toString()] })
    const res = await t.app.inject({ method: 'POST', url: '/v8/artifacts?slug=acme', headers: { 'content-type': 'application/json' }, payload: huge })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().code, 'BLOB_TOO_LARGE')
  })

  test('POST /v8/artifacts/events answers 200 and counts events by source and event', async () => {
    const events = [
      { sessionId: 's', source: 'REMOTE', event: 'HIT', hash: 'h1', duration: 10 },
      { sessionId: 's', source: 'REMOTE', event: 'HIT', hash: 'h2', duration: 10 },
      { sessionId: 's', source: 'LOCAL', event: 'MISS', hash: 'h3' },
      { sessionId: 's', source: 'NEW', event: 'WEIRD', hash: 'h4' },
    ]
    const res = await t.app.inject({ method: 'POST', url: '/v8/artifacts/events?slug=acme', headers: { 'content-type': 'application/json' }, payload: events })
    assert.equal(res.statusCode, 200)
    const text = await scrape(t.app)
    assert.match(text, /fabrik_turbo_events_total\{source="remote",event="hit"\} 2/)
    assert.match(text, /fabrik_turbo_events_total\{source="local",event="miss"\} 1/)
    assert.match(text, /fabrik_turbo_events_total\{source="other",event="other"\} 1/)
  })

  test('an events body that is not an array is a 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v8/artifacts/events', headers: { 'content-type': 'application/json' }, payload: { a: 1 } })
    assert.equal(res.statusCode, 400)
  })
})
