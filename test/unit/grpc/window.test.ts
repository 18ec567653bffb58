import assert from 'node:assert/strict'
import * as http2 from 'node:http2'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { RECEIVE_WINDOW_BYTES, widenReceiveWindow } from '../../../src/grpc/window.js'
import { startServer, type Harness } from './helpers.js'

// The daemon's gRPC server receives with 8 MiB HTTP/2 windows (window.ts), through grpc-js internals: this fails
// if a grpc-js upgrade takes them away, and shows what a client really sees on the wire.

describe('gRPC receive window', () => {
  let h: Harness
  before(async () => (h = await startServer()))
  after(() => h.close())

  it('announces an 8 MiB stream window and widens the connection window to 8 MiB', async () => {
    const client = http2.connect(`http://${h.address}`)
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('remoteSettings', () => resolve())
        client.once('error', reject)
      })
      assert.equal(client.remoteSettings.initialWindowSize, RECEIVE_WINDOW_BYTES)
      // The connection-level WINDOW_UPDATE follows the SETTINGS frame.
      const end = Date.now() + 2000
      while ((client.state.remoteWindowSize ?? 0) < RECEIVE_WINDOW_BYTES && Date.now() < end) await sleep(10)
      assert.equal(client.state.remoteWindowSize, RECEIVE_WINDOW_BYTES)
    } finally {
      client.close()
    }
  })

  it('finds the grpc-js internals it needs (a plain server, too)', () => {
    assert.equal(widenReceiveWindow(new grpc.Server()), true)
  })
})
