import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import type { FastifyRequest } from 'fastify'
import { isFabrikError } from '../../../src/errors/registry.js'
import { uploadBody } from '../../../src/http/body.js'

/** Just what uploadBody reads of a request: its headers and the raw body stream. */
function request(headers: Record<string, string>, raw: PassThrough): FastifyRequest {
  return { headers, raw } as unknown as FastifyRequest
}

const aborted = (err: unknown) => isFabrikError(err) && err.code === 'ABORTED'

/** `p`, or a rejection after `ms`: a body read that never settles fails the test instead of hanging it. */
function within<T>(p: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms).unref())])
}

describe('upload bodies', () => {
  it('reads a small declared body into one Buffer', async () => {
    const raw = new PassThrough()
    raw.end(Buffer.from('0123456789'))
    const got = await uploadBody(request({ 'content-length': '10' }, raw), 1024)
    assert.ok(Buffer.isBuffer(got.body))
    assert.equal(got.body.toString(), '0123456789')
    assert.equal(got.size, 10)
  })

  it('fails a small body whose client goes away midway', async () => {
    const raw = new PassThrough()
    raw.write(Buffer.from('01234'))
    const got = uploadBody(request({ 'content-length': '10' }, raw), 1024)
    setImmediate(() => raw.destroy())
    await assert.rejects(within(got), aborted)
  })

  it('fails at once, small or large, when the client left before the route ran', async () => {
    // Its 'close' has fired already: waiting for the body would never end (and hold the store's space reservation).
    for (const length of ['10', String(512 * 1024)]) {
      const raw = new PassThrough()
      raw.destroy()
      await new Promise((resolve) => setImmediate(resolve))
      await assert.rejects(within(uploadBody(request({ 'content-length': length }, raw), 1024 * 1024)), aborted, `content-length ${length}`)
    }
  })
})
