import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BaseServerInterceptingCall } from '@grpc/grpc-js/build/src/server-interceptors.js'
import { READ_DATA_TAG, serializeReadResponse, withFastReadResponses } from '../../../src/grpc/bytestream/read-response.js'
import { sendFramesAsIs, takeFrame } from '../../../src/grpc/frames.js'
import { loadProtos } from '../../../src/grpc/protos.js'
import { MAX_CHUNK } from '../../../src/grpc/streams.js'
import { randomBytes } from './helpers.js'

describe('ReadResponse serializer', () => {
  const read = loadProtos().google.bytestream.ByteStream.service.Read
  const generic = read.responseSerialize

  it('writes the same bytes as the generic protobuf serializer for every length class', () => {
    // 1-, 2- and 3-byte length varints, the scratch buffer's exact size and one byte over it.
    for (const size of [1, 127, 128, 16_383, 16_384, MAX_CHUNK - 1, MAX_CHUNK, MAX_CHUNK + 1]) {
      const data = randomBytes(size, size)
      const fast = Buffer.from(serializeReadResponse({ data }, generic))
      assert.ok(fast.equals(generic({ data })), `size ${size}`)
      assert.ok(read.responseDeserialize(fast).data.equals(data), `size ${size} round trip`)
    }
  })

  it('writes nothing for empty data and leaves non-Buffer data to the generic serializer', () => {
    assert.equal(serializeReadResponse({ data: Buffer.alloc(0) }, generic).length, 0)
    assert.equal(read.responseDeserialize(serializeReadResponse({ data: Buffer.alloc(0) }, generic)).data.length, 0)
    assert.ok(serializeReadResponse({ data: 'abc' }, generic).equals(generic({ data: 'abc' })))
  })

  it('replaces only Read in the service definition', () => {
    const service = loadProtos().google.bytestream.ByteStream.service
    const fast = withFastReadResponses(service)
    assert.notEqual(fast.Read.responseSerialize, service.Read.responseSerialize)
    assert.equal(fast.Write, service.Write)
    assert.equal(fast.QueryWriteStatus, service.QueryWriteStatus)
    assert.equal(fast.Read.path, service.Read.path)
  })

  it('builds frames that are a gRPC length prefix plus the same bytes as the generic serializer', () => {
    for (const size of [1, 127, 128, 16_384, MAX_CHUNK]) {
      const data = randomBytes(size, size + 1)
      const message = takeFrame(size, READ_DATA_TAG)
      assert.equal(message.data.length, size)
      data.copy(message.data)
      const body = generic({ data })
      assert.equal(message.frame[0], 0, 'not compressed')
      assert.equal(message.frame.readUInt32BE(1), body.length, `size ${size}: length prefix`)
      assert.ok(message.frame.subarray(5).equals(body), `size ${size}: body`)
      // Without the grpc-js fast path the frame goes through the serializer like any message.
      assert.ok(Buffer.from(serializeReadResponse(message, generic)).equals(body), `size ${size}: serializer`)
      message.release()
    }
  })

  it('reuses a released frame and never one still being written', () => {
    const a = takeFrame(10, READ_DATA_TAG)
    a.release()
    const b = takeFrame(20, READ_DATA_TAG)
    const c = takeFrame(20, READ_DATA_TAG)
    assert.equal(b.frame.buffer, a.frame.buffer, 'the released frame is reused')
    assert.notEqual(c.frame.buffer, b.frame.buffer, 'a frame not released is not handed out twice')
    b.release()
    c.release()
  })

  it('teaches this grpc-js to send frames as they are, and leaves other messages to it', () => {
    // Fails when a grpc-js upgrade renames the method: Reads would silently pay a copy per message again.
    assert.equal(sendFramesAsIs(), true)
    const serialize = (BaseServerInterceptingCall.prototype as unknown as { serializeMessage(this: unknown, v: unknown): Buffer }).serializeMessage
    const message = takeFrame(3, READ_DATA_TAG)
    message.data.set([1, 2, 3])
    assert.equal(serialize.call({}, message), message.frame, 'the frame itself, not a copy')
    const plain = serialize.call({ handler: { serialize: () => Buffer.from([9, 9]) } }, { data: Buffer.from([1]) })
    assert.deepEqual([...plain], [0, 0, 0, 0, 2, 9, 9], 'other messages still get grpc-js framing')
    message.release()
  })
})
