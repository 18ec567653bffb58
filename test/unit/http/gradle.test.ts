import assert from 'node:assert/strict'
import { Agent } from 'node:http'
import { connect } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { listen, makeApp, send, type TestApp } from './helpers.js'

// Gradle disables the remote cache for the whole build on any status it does not expect, so the statuses are
// the contract: 404 miss, 2xx store, 413 too large.

const LIMIT = 64 * 1024

/**
 * Writes raw HTTP/1.1 over a socket until the server closes it; `onData` sees everything received so far. Fails
 * (instead of hanging the run) when the server has not closed the connection within `timeoutMs`.
 */
function rawExchange(port: number, head: string, onData: (text: string, write: (b: Buffer) => void) => void = () => {}, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`the server did not close the connection within ${timeoutMs} ms; received so far:\n${received}`))
    }, timeoutMs)
    socket.on('close', () => clearTimeout(timer))
    let received = ''
    socket.on('data', (d) => {
      received += d.toString('latin1')
      onData(received, (b) => socket.write(b))
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(received))
    socket.write(head)
  })
}

describe('gradle build cache routes', { timeout: 60_000 }, () => {
  let t: TestApp
  let port: number
  before(async () => {
    t = await makeApp({ maxBlobBytes: LIMIT })
    port = await listen(t.app)
  })
  after(async () => {
    await t.app.close()
  })

  test('a missing entry is a 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/cache/0a1b2c3d', headers: { accept: 'application/vnd.gradle.build-cache-artifact.v2, */*' } })
    assert.equal(res.statusCode, 404)
  })

  test('a PUT with Basic auth is stored and read back whatever the artifact version in Accept', async () => {
    const body = Buffer.from('gradle cache entry')
    const put = await t.app.inject({
      method: 'PUT',
      url: '/cache/0a1b2c3d',
      headers: { 'content-type': 'application/vnd.gradle.build-cache-artifact.v2', authorization: 'Basic dXNlcjpwYXNz' },
      payload: body,
    })
    assert.equal(put.statusCode, 200)
    for (const accept of ['application/vnd.gradle.build-cache-artifact.v1, */*', 'application/vnd.gradle.build-cache-artifact.v2, */*']) {
      const get = await t.app.inject({ method: 'GET', url: '/cache/0a1b2c3d', headers: { accept } })
      assert.equal(get.statusCode, 200)
      assert.deepEqual(get.rawPayload, body)
    }
  })

  test('a small upload cut off by the client stores nothing, and the next one on a new connection is stored', async () => {
    // Small declared bodies are read into one buffer before the store sees them (http/body.ts): a client that goes
    // away halfway must not leave a short entry behind.
    const socket = connect(port, '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write('PUT /cache/cutoff HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n' + 'x'.repeat(10))
    await new Promise((resolve) => setTimeout(resolve, 50))
    socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(await t.store.has('gradle', 'cutoff'), false)
    const res = await send(port, 'PUT', '/cache/cutoff', { 'content-length': '1000' }, Buffer.alloc(1000, 1))
    assert.equal(res.status, 200)
    assert.equal((await t.store.stat('gradle', 'cutoff'))?.size, 1000)
  })

  test('a body whose Content-Length is above the limit is a 413 and nothing is stored', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/cache/big1', payload: Buffer.alloc(LIMIT + 1) })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().code, 'BLOB_TOO_LARGE')
    assert.equal(await t.store.has('gradle', 'big1'), false)
  })

  test('a chunked body that grows past the limit is a 413, nothing is stored, and the kept-alive connection still answers', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(LIMIT / 2, 1))
    const res = await send(port, 'PUT', '/cache/big2', { 'content-type': 'application/octet-stream' }, chunks, agent)
    assert.equal(res.status, 413)
    assert.equal(JSON.parse(res.body.toString()).code, 'BLOB_TOO_LARGE')
    assert.equal(await t.store.has('gradle', 'big2'), false)
    const next = await send(port, 'GET', '/cache/0a1b2c3d', {}, undefined, agent)
    assert.equal(next.status, 200)
    assert.equal(next.reusedSocket, true)
    agent.destroy()
  })

  test('a refused key leaves the kept-alive connection usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const bad = await send(port, 'PUT', '/cache/a..b', { 'content-length': String(LIMIT) }, Buffer.alloc(LIMIT), agent)
    assert.equal(bad.status, 400)
    const next = await send(port, 'GET', '/cache/0a1b2c3d', {}, undefined, agent)
    assert.equal(next.status, 200)
    assert.equal(next.reusedSocket, true)
    agent.destroy()
  })

  test('HEAD answers the size of a stored entry and 404 for a missing one', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: '/cache/0a1b2c3d' })
    assert.equal(head.statusCode, 200)
    assert.equal(head.headers['content-length'], '18')
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/cache/nothing' })).statusCode, 404)
  })

  test('Expect: 100-continue gets "100 Continue", then the body is stored', async () => {
    const body = 'sent after continue'
    let sent = false
    const text = await rawExchange(
      port,
      `PUT /cache/cont1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      (received, write) => {
        if (!sent && received.startsWith('HTTP/1.1 100 Continue')) {
          sent = true
          write(Buffer.from(body))
        }
      },
    )
    assert.ok(text.startsWith('HTTP/1.1 100 Continue'), text)
    assert.match(text, /HTTP\/1\.1 200 OK/)
    const stored = await t.store.get('gradle', 'cont1')
    assert.ok(stored)
    assert.equal(stored.size, body.length)
  })

  test('Expect: 100-continue with a too large Content-Length is refused with 413 before any body is sent', async () => {
    const text = await rawExchange(
      port,
      `PUT /cache/cont2 HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: ${LIMIT + 1}\r\nExpect: 100-continue\r\n\r\n`,
    )
    assert.ok(text.startsWith('HTTP/1.1 413'), text)
    assert.doesNotMatch(text, /100 Continue/)
    assert.match(text, /BLOB_TOO_LARGE/)
    assert.equal(await t.store.has('gradle', 'cont2'), false)
  })

  test('Expect: 100-continue from a foreign Host is refused with 403 before any body is sent', async () => {
    const text = await rawExchange(port, `PUT /cache/cont3 HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n`)
    assert.ok(text.startsWith('HTTP/1.1 403'), text)
    assert.match(text, /HOST_NOT_ALLOWED/)
  })
})
