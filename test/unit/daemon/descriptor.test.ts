import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as protoLoader from '@grpc/proto-loader'
import { DESCRIPTOR } from '../../../src/generated/descriptor.js'
import { CONVERSION, PROTO_FILES, fabrikPackageDefinition, loadProtos, protoRoot, protosDir } from '../../../src/grpc/protos.js'

// The daemon loads a descriptor generated from protos/ instead of parsing .proto text at start (startup time).
// These tests catch a descriptor gone stale after a .proto edit, and a definition that differs from a text parse.

interface GenScript {
  buildDescriptor(): unknown
  PROTO_FILES: string[]
}

async function genScript(): Promise<GenScript> {
  const script = join(protosDir(), '..', 'scripts', 'gen-descriptor.mjs')
  return (await import(pathToFileURL(script).href)) as GenScript
}

describe('generated proto descriptor', () => {
  it('matches what scripts/gen-descriptor.mjs builds from protos/ today (else run npm run gen:proto)', async () => {
    const gen = await genScript()
    assert.deepEqual(gen.PROTO_FILES, PROTO_FILES)
    assert.deepEqual(DESCRIPTOR, gen.buildDescriptor())
  })

  it('gives the gRPC server the same methods, paths, streaming kinds and options as loading the .proto text', () => {
    const fromText = protoLoader.loadSync(PROTO_FILES, { ...CONVERSION, includeDirs: [protosDir()] })
    const fromJson = fabrikPackageDefinition()
    assert.deepEqual(Object.keys(fromJson).sort(), Object.keys(fromText).sort())
    const methods = (def: protoLoader.PackageDefinition) =>
      Object.entries(def)
        .filter(([, v]) => !('format' in v))
        .flatMap(([service, v]) =>
          Object.entries(v as protoLoader.ServiceDefinition).map(([name, m]) => `${service}.${name} ${m.path} ${m.requestStream} ${m.responseStream} ${m.originalName} ${JSON.stringify(m.options)}`),
        )
        .sort()
    assert.ok(methods(fromText).length >= 10, 'REAPI, ByteStream and Xcode services have methods')
    assert.deepEqual(methods(fromJson), methods(fromText))
  })

  it('serialises requests as proto-loader does and still offers its descriptors, built on first use', () => {
    const fromText = protoLoader.loadSync(PROTO_FILES, { ...CONVERSION, includeDirs: [protosDir()] })
    const fromJson = fabrikPackageDefinition()
    const svc = 'build.bazel.remote.execution.v2.ContentAddressableStorage'
    const text = (fromText[svc] as protoLoader.ServiceDefinition).FindMissingBlobs!
    const json = (fromJson[svc] as protoLoader.ServiceDefinition).FindMissingBlobs!
    const req = { instance_name: 'main', blob_digests: [{ hash: 'cd'.repeat(32), size_bytes: '5' }], digest_function: 'SHA256' }
    const bytes = text.requestSerialize(req)
    assert.deepEqual(json.requestSerialize(req), bytes)
    assert.deepEqual(json.requestDeserialize(bytes), text.requestDeserialize(bytes))
    assert.throws(() => json.requestSerialize([] as unknown as object), /got array/)
    const name = 'build.bazel.remote.execution.v2.Digest'
    assert.deepEqual((fromJson[name] as protoLoader.MessageTypeDefinition<object, object>).type, (fromText[name] as protoLoader.MessageTypeDefinition<object, object>).type)
    assert.deepEqual(json.responseType.type, text.responseType.type)
    assert.equal(json.requestType.fileDescriptorProtos.length, text.requestType.fileDescriptorProtos.length)
  })

  it('encodes a stored ActionResult to the same bytes as the .proto text does, and decodes it back', () => {
    const fromText = protoLoader.loadSync(PROTO_FILES, { ...CONVERSION, includeDirs: [protosDir()] })
    const ac = fromText['build.bazel.remote.execution.v2.ActionResult'] as protoLoader.MessageTypeDefinition<object, object>
    const value = { exit_code: 3, output_files: [{ path: 'a/b', digest: { hash: 'ab'.repeat(32), size_bytes: '12' }, is_executable: true }] }
    const type = protoRoot().lookupType('build.bazel.remote.execution.v2.ActionResult')
    const bytes = Buffer.from(type.encode(type.fromObject(value)).finish())
    assert.deepEqual(bytes, Buffer.from(ac.serialize(value)))
    const back = type.toObject(type.decode(bytes), CONVERSION) as { exit_code: number; output_files: { path: string; digest: { size_bytes: string } }[] }
    assert.equal(back.exit_code, 3)
    assert.equal(back.output_files[0]?.digest.size_bytes, '12')
    assert.ok(loadProtos().build.bazel.remote.execution.v2.ActionCache.service.GetActionResult)
  })
})
