import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { serializeReadResponse, withFastReadResponses } from '../../../src/grpc/bytestream/read-response.js'
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
})
