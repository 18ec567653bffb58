import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { describe, it } from 'node:test'
import type * as grpc from '@grpc/grpc-js'
import { Sender } from '../../../src/grpc/streams.js'

/** Just enough of a server stream: write() keeps each completion callback until the test "sends" the message. */
class FakeCall extends EventEmitter {
  cancelled = false
  destroyed = false
  readonly pending: (() => void)[] = []
  write(_message: unknown, cb: () => void): boolean {
    this.pending.push(cb)
    return true
  }
}

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false
  void p.then(() => (done = true), () => (done = true))
  await new Promise((r) => setImmediate(r))
  return done
}

describe('Sender', () => {
  const make = () => {
    const call = new FakeCall()
    return { call, sender: new Sender(call as unknown as grpc.ServerWritableStream<unknown, object>, 10) }
  }

  it('returns at once while fewer than maxQueued bytes wait, then until a write completes', async () => {
    const { call, sender } = make()
    assert.equal(await settled(sender.send({}, 4)), true)
    assert.equal(await settled(sender.send({}, 4)), true)
    const third = sender.send({}, 4) // 12 bytes queued: over the limit of 10
    assert.equal(await settled(third), false)
    call.pending.shift()!() // 8 bytes left
    assert.equal(await settled(third), true)
  })

  it('rejects a waiting send with ABORTED when the call closes, and refuses sends on a cancelled call', async () => {
    const { call, sender } = make()
    const waiting = sender.send({}, 20)
    call.emit('close')
    await assert.rejects(waiting, { code: 'ABORTED' })
    call.cancelled = true
    await assert.rejects(sender.send({}, 1), { code: 'ABORTED' })
  })
})
