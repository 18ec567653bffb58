import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isFabrikError } from '../../../src/errors/registry.js'
import { parseReadResource, parseWriteResource } from '../../../src/grpc/bytestream/resource-name.js'

const H = 'a'.repeat(64)

describe('ByteStream resource names', () => {
  it('parses read names with and without instance, digest function and compressor', () => {
    assert.deepEqual(parseReadResource(`blobs/${H}/12`), { instance: '', hash: H, size: 12, compressor: 'identity' })
    assert.deepEqual(parseReadResource(`main/blobs/${H}/0`), { instance: 'main', hash: H, size: 0, compressor: 'identity' })
    assert.deepEqual(parseReadResource(`a/b/c/blobs/sha256/${H}/5`), { instance: 'a/b/c', hash: H, size: 5, compressor: 'identity' })
    assert.deepEqual(parseReadResource(`x/compressed-blobs/zstd/${H}/7`), { instance: 'x', hash: H, size: 7, compressor: 'zstd' })
  })

  it('parses upload names, ignoring trailing metadata', () => {
    assert.deepEqual(parseWriteResource(`uploads/u-1/blobs/${H}/3`), { instance: '', uuid: 'u-1', hash: H, size: 3, compressor: 'identity' })
    assert.deepEqual(parseWriteResource(`inst/uploads/u/compressed-blobs/zstd/${H}/9/meta/data`), {
      instance: 'inst', uuid: 'u', hash: H, size: 9, compressor: 'zstd',
    })
  })

  it('refuses malformed names as INVALID_REQUEST', () => {
    const bad = [
      () => parseReadResource(''),
      () => parseReadResource(`blobs/${H}`),
      () => parseReadResource(`blobs/${H}/1.5`),
      () => parseReadResource(`blobs/${H}/99999999999999999`),
      () => parseReadResource(`blobs/${H}/1/extra`),
      () => parseReadResource(`compressed-blobs/brotli/${H}/1`),
      () => parseReadResource(`blobs/md5/${H}/1`),
      () => parseWriteResource(`blobs/${H}/1`),
      () => parseWriteResource(`uploads/blobs/${H}/1`),
      () => parseWriteResource(`uploads/u/${H}/1`),
    ]
    for (const f of bad) assert.throws(f, (err: unknown) => isFabrikError(err, 'INVALID_REQUEST'))
  })
})
