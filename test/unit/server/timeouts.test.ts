import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { makeClients, sha256 } from '../grpc/helpers.js'
import { makeKey, startServerWithKeys, token, type TestServer } from './helpers.js'
import { closedWithin } from '../../helpers/socket.js'

// `fabrik server` takes its socket bounds from [runtime] as the daemon does; these are far below the defaults
// (idle 30 s), so a server that ignored them keeps both connections open past the test's limits.
const IDLE_MS = 800

describe('fabrik server applies [runtime] timeouts', () => {
  let s: TestServer
  let jwt: string
  before(async () => {
    const key = await makeKey('k1')
    jwt = await token(key)
    s = await startServerWithKeys([key], (c) => {
      c.runtime.idle_timeout = IDLE_MS
      c.runtime.header_timeout = 600
      c.runtime.keep_alive_timeout = 700
    })
  })
  after(() => s.close())

  it('closes an HTTP connection that never sends a byte after idle_timeout', async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const c = connect(s.server.httpPort, '127.0.0.1', () => resolve(c))
      c.once('error', reject)
    })
    try {
      await closedWithin(socket, IDLE_MS + 3000)
    } finally {
      socket.destroy()
    }
  })

  it('fails a ByteStream Write that stalls with DEADLINE_EXCEEDED after idle_timeout', async () => {
    const md = new grpc.Metadata()
    md.set('authorization', `Bearer ${jwt}`)
    const clients = makeClients(s.grpc)
    try {
      const data = randomBytes(64 * 1024)
      const name = `uploads/${randomBytes(8).toString('hex')}/blobs/${sha256(data)}/${data.length}`
      const status = new Promise<grpc.status>((resolve) => {
        const call = clients.bytestream.Write(md, (err) => resolve(err ? err.code : grpc.status.OK))
        call.write({ resource_name: name, write_offset: 0, data: data.subarray(0, 1000) })
      })
      const started = Date.now()
      const limit = new Promise<'still open'>((r) => setTimeout(() => r('still open'), IDLE_MS + 5000).unref())
      assert.equal(await Promise.race([status, limit]), grpc.status.DEADLINE_EXCEEDED)
      assert.ok(Date.now() - started < IDLE_MS + 3000, `ended after ${Date.now() - started} ms`)
    } finally {
      for (const c of Object.values(clients)) c.close()
    }
  })
})
