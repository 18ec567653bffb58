import type protobuf from 'protobufjs'
import { FabrikError } from '../errors/registry.js'
import { CONVERSION, protoRoot } from './protos.js'

// Encodes and decodes messages that live in the store as blobs: ActionResults in the action cache, Tree and
// Directory messages in the CAS (read to check what a result references), Xcode KV values. Objects have the
// same shape as those grpc-js hands to handlers, so a stored ActionResult can be returned as it is.

const types = new Map<string, protobuf.Type>()

function type(name: string): protobuf.Type {
  let t = types.get(name)
  if (!t) {
    t = protoRoot().lookupType(name)
    types.set(name, t)
  }
  return t
}

export const MESSAGES = {
  actionResult: 'build.bazel.remote.execution.v2.ActionResult',
  tree: 'build.bazel.remote.execution.v2.Tree',
  directory: 'build.bazel.remote.execution.v2.Directory',
  xcodeValue: 'compilation_cache_service.keyvalue.v1.Value',
} as const

export function encodeMessage(name: string, value: object): Buffer {
  const t = type(name)
  return Buffer.from(t.encode(t.fromObject(value)).finish())
}

/** Decodes stored bytes; a blob that is not a valid message of that type is INVALID_REQUEST, never a crash. */
export function decodeMessage<T>(name: string, bytes: Uint8Array): T {
  const t = type(name)
  try {
    return t.toObject(t.decode(bytes), CONVERSION) as T
  } catch (err) {
    throw new FabrikError('INVALID_REQUEST', `blob is not a valid ${name}: ${(err as Error).message}`, { cause: err })
  }
}
