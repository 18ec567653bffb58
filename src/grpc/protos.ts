import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import protobuf from 'protobufjs'
import { DESCRIPTOR } from '../generated/descriptor.js'
import type { ProtoGrpcType as ByteStreamProto } from '../generated/bytestream.js'
import type { ProtoGrpcType as XcodeCasProto } from '../generated/compilation_caching_cas.js'
import type { ProtoGrpcType as XcodeKvProto } from '../generated/compilation_caching_kv.js'
import type { ProtoGrpcType as ReapiProto } from '../generated/remote_execution.js'

// The .proto files are the wire contract and ship in the package (`files` in package.json). src/generated/ holds
// what `npm run gen:proto` derives from them: the TypeScript types, and descriptor.ts, the files already parsed.
// The daemon builds its definitions from that descriptor: parsing the .proto text cost ~85 ms of every start.
// test/unit/daemon/descriptor.test.ts checks that the descriptor still matches the .proto files.

export const PROTO_FILES = [
  'build/bazel/remote/execution/v2/remote_execution.proto',
  'google/bytestream/bytestream.proto',
  'compilation_cache_service/compilation_caching_kv.proto',
  'compilation_cache_service/compilation_caching_cas.proto',
]

/**
 * Conversion options shared by the gRPC loader and the message codec, so an object decoded from the store has the
 * same shape as one received on the wire: snake_case names, int64 as decimal strings, enums by name, every field
 * present, `contents`-style oneof discriminators.
 */
export const CONVERSION = { keepCase: true, longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true } as const

/** protos/ at the package root, found from this module whether it runs from src/grpc or dist/src/grpc. */
export function protosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'protos')
    if (existsSync(join(candidate, PROTO_FILES[0] as string))) return candidate
    dir = dirname(dir)
  }
  throw new Error('protos/ not found above ' + fileURLToPath(import.meta.url))
}

export type FabrikProtos = ReapiProto & ByteStreamProto & XcodeKvProto & XcodeCasProto

let services: FabrikProtos | undefined
let root: protobuf.Root | undefined

/** Service definitions for grpc.Server.addService (and typed clients in tests). Loaded once. */
export function loadProtos(): FabrikProtos {
  if (!services) {
    const definition = protoLoader.fromJSON(DESCRIPTOR, CONVERSION)
    services = grpc.loadPackageDefinition(definition) as unknown as FabrikProtos
  }
  return services
}

/**
 * The same descriptor as a protobufjs Root, for messages stored as blobs (ActionResult, Tree, Directory, Value).
 * Built from the descriptor the gRPC definitions come from, so a stored message and a wire message agree.
 */
export function protoRoot(): protobuf.Root {
  if (!root) {
    root = protobuf.Root.fromJSON(DESCRIPTOR)
    root.resolveAll()
  }
  return root
}
