import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { ERRORS, FabrikError, type ErrorCode } from '../../../src/errors/registry.js'
import { GRPC_STATUS, rpcStatus, toGrpcError } from '../../../src/grpc/errors.js'

describe('gRPC error map', () => {
  it('gives every error code a status, with the client-visible ones REAPI expects', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const status = toGrpcError(new FabrikError(code, 'x')).code
      assert.ok(status in grpc.status && status !== grpc.status.OK, code)
    }
    assert.equal(toGrpcError(new FabrikError('DIGEST_MISMATCH', 'x')).code, grpc.status.INVALID_ARGUMENT)
    assert.equal(toGrpcError(new FabrikError('SIZE_MISMATCH', 'x')).code, grpc.status.INVALID_ARGUMENT)
    assert.equal(toGrpcError(new FabrikError('NOT_FOUND', 'x')).code, grpc.status.NOT_FOUND)
    assert.equal(toGrpcError(new FabrikError('BLOB_TOO_LARGE', 'x')).code, grpc.status.RESOURCE_EXHAUSTED)
    assert.equal(GRPC_STATUS.internal, grpc.status.INTERNAL)
  })

  it('turns anything that is not a FabrikError into INTERNAL and keeps the code in the details', () => {
    assert.equal(toGrpcError(new Error('boom')).code, grpc.status.INTERNAL)
    assert.equal(toGrpcError('weird').code, grpc.status.INTERNAL)
    assert.match(toGrpcError(new FabrikError('DIGEST_MISMATCH', 'bad bytes')).details, /^DIGEST_MISMATCH: bad bytes/)
  })

  it('carries the registry\'s fix in the details of every code, and in batch statuses', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      assert.ok(toGrpcError(new FabrikError(code, 'x')).details.includes(ERRORS[code].fix), code)
    }
    assert.ok(rpcStatus(new FabrikError('STORE_FULL', 'x')).message.includes(ERRORS.STORE_FULL.fix))
  })

  it('builds google.rpc.Status values for batch entries', () => {
    assert.deepEqual(rpcStatus(), { code: 0, message: '' })
    assert.equal(rpcStatus(new FabrikError('INVALID_DIGEST', 'x')).code, grpc.status.INVALID_ARGUMENT)
  })
})
