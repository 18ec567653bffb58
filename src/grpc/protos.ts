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
import type { ProtoGrpcType as FabrikCacheProto } from '../generated/cache.js'

// The .proto files are the wire contract and ship in the package (`files` in package.json). src/generated/ holds
// what `npm run gen:proto` derives from them: the TypeScript types, and descriptor.ts, the files already parsed.
// The daemon builds its definitions from that descriptor: parsing the .proto text cost ~85 ms of every start.
// test/unit/daemon/descriptor.test.ts checks that the descriptor still matches the .proto files.

export const PROTO_FILES = [
  'build/bazel/remote/execution/v2/remote_execution.proto',
  'google/bytestream/bytestream.proto',
  'compilation_cache_service/compilation_caching_kv.proto',
  'compilation_cache_service/compilation_caching_cas.proto',
  'fabrik/v1/cache.proto',
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

export type FabrikProtos = ReapiProto & ByteStreamProto & XcodeKvProto & XcodeCasProto & FabrikCacheProto

let services: FabrikProtos | undefined
let root: protobuf.Root | undefined

/** Service definitions for grpc.Server.addService (and typed clients in tests). Loaded once. */
export function loadProtos(): FabrikProtos {
  if (!services) services = grpc.loadPackageDefinition(fabrikPackageDefinition()) as unknown as FabrikProtos
  return services
}

/** What loadProtos builds on: a proto-loader PackageDefinition of every service, message and enum. */
export function fabrikPackageDefinition(): protoLoader.PackageDefinition {
  return packageDefinition(protoRoot())
}

// proto-loader's fromJSON also builds a descriptor (DescriptorProto objects, encoded FileDescriptorProtos) for
// every message and method: reflection data the server never reads, and ~30 ms of each daemon start. Services
// are built here from the same Root with proto-loader's serialisation (fromObject/encode, decode/toObject with
// CONVERSION); the descriptor parts are getters that build proto-loader's own definition on first use.

let full: protoLoader.PackageDefinition | undefined
const fullDefinition = (): protoLoader.PackageDefinition => (full ??= protoLoader.fromJSON(DESCRIPTOR, CONVERSION))

function packageDefinition(root: protobuf.Root): protoLoader.PackageDefinition {
  const def: protoLoader.PackageDefinition = {}
  const visit = (ns: protobuf.NamespaceBase, prefix: string): void => {
    for (const obj of ns.nestedArray) {
      const name = prefix ? `${prefix}.${obj.name}` : obj.name
      if (obj instanceof protobuf.Service) def[name] = serviceDefinition(obj, name)
      else if (obj instanceof protobuf.Type) def[name] = messageDefinition(obj, name)
      else if (obj instanceof protobuf.Enum) def[name] = lazyDescriptor({ format: 'Protocol Buffer 3 EnumDescriptorProto' }, () => fullDefinition()[name])
      // A message's nested types are reached through it (proto-loader does not list them either).
      if (obj instanceof protobuf.Namespace && !(obj instanceof protobuf.Type) && !(obj instanceof protobuf.Service)) visit(obj, name)
    }
  }
  visit(root, '')
  return def
}

function serviceDefinition(service: protobuf.Service, name: string): protoLoader.ServiceDefinition {
  const def: protoLoader.ServiceDefinition = {}
  for (const m of service.methodsArray) {
    m.resolve()
    const req = m.resolvedRequestType as protobuf.Type
    const res = m.resolvedResponseType as protobuf.Type
    def[m.name] = {
      path: `/${name}/${m.name}`,
      requestStream: !!m.requestStream,
      responseStream: !!m.responseStream,
      requestSerialize: serializer(req),
      requestDeserialize: deserializer(req),
      responseSerialize: serializer(res),
      responseDeserialize: deserializer(res),
      originalName: camelCase(m.name),
      requestType: messageDefinition(req, req.fullName.slice(1)),
      responseType: messageDefinition(res, res.fullName.slice(1)),
      options: methodOptions(m),
    }
  }
  return def
}

/** proto-loader's method options: the defaults, overlaid with what the .proto sets (none of ours set any). */
function methodOptions(m: protobuf.Method): protoLoader.MethodDefinition<object, object>['options'] {
  const options: Record<string, unknown> = { deprecated: false, idempotency_level: protoLoader.IdempotencyLevel.IDEMPOTENCY_UNKNOWN, uninterpreted_option: [] }
  for (const item of (m.parsedOptions ?? []) as Record<string, unknown>[]) Object.assign(options, item)
  return options as protoLoader.MethodDefinition<object, object>['options']
}

function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`)
    return Buffer.from(type.encode(type.fromObject(value)).finish())
  }
}

function deserializer(type: protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), CONVERSION)
}

function messageDefinition(type: protobuf.Type, name: string): protoLoader.MessageTypeDefinition<object, object> {
  const def = { format: 'Protocol Buffer 3 DescriptorProto', serialize: serializer(type), deserialize: deserializer(type) }
  return lazyDescriptor(def, () => fullDefinition()[name]) as protoLoader.MessageTypeDefinition<object, object>
}

/** Adds `type` and `fileDescriptorProtos` as enumerable getters reading proto-loader's definition of the same name. */
function lazyDescriptor<T extends object>(def: T, from: () => protoLoader.AnyDefinition | undefined): protoLoader.AnyDefinition {
  for (const key of ['type', 'fileDescriptorProtos'] as const) {
    Object.defineProperty(def, key, { enumerable: true, get: () => (from() as unknown as Record<string, unknown> | undefined)?.[key] })
  }
  return def as unknown as protoLoader.AnyDefinition
}

/** lodash's camelCase for method names, as proto-loader derives `originalName` ("UpdateKV" → "updateKv"). */
function camelCase(name: string): string {
  const words = name.match(/[A-Z]{2,}(?=[A-Z][a-z]+|[0-9]|\b|$)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+/g) ?? [name]
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join('')
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
