import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { P2P_DESCRIPTOR } from '../generated/p2p-descriptor.js'
import type { EntryInfo__Output } from '../generated/fabrik/p2p/v1/EntryInfo.js'
import { FramedMessage, bytesTag, writeVarint } from '../grpc/frames.js'
import { CONVERSION } from '../grpc/protos.js'

// fabrik.p2p.v1.P2PCache from the descriptor `npm run gen:proto` generates (protos/fabrik/p2p/v1/p2p.proto).
// Get's data messages skip protobufjs: a stored file is read straight into ready-made frames (grpc/frames.ts),
// other data is written behind tag + length in one copy, and the client takes the bytes as a view of the
// received message (no copy), as ByteStream.Read does for Bazel (grpc/bytestream).

export const SERVICE = 'fabrik.p2p.v1.P2PCache'
export const METHOD = {
  hello: `/${SERVICE}/Hello`,
  exists: `/${SERVICE}/Exists`,
  get: `/${SERVICE}/Get`,
} as const

/** Data bytes per Get message. */
export const CHUNK = 1024 * 1024

/**
 * Data bytes of the first Get message of a larger entry (server.ts): the whole message, with its gRPC prefix and
 * HTTP/2 frame header, fits one 16 KiB TLS record, so it is decrypted and handed over as soon as that record is in.
 * With 64 KiB, the client's first byte waited for several records (more wake-ups of its process) and for hashing
 * four times the bytes. bench:p2p, 64 MiB first byte, 9 runs of each interleaved: lower with 16 KiB in 6 of the 9
 * pairs, the median of the runs' p50s 8.0 → 6.6 ms.
 */
export const FIRST_CHUNK = 16 * 1024 - 32

/** HTTP/2 receive window a client opens to a peer: a few messages in flight (see client.ts). */
export const FLOW_CONTROL_WINDOW = 8 * CHUNK

export interface GetPart {
  info?: EntryInfo__Output
  data?: Buffer
  part?: 'info' | 'data'
}

/** GetResponse.data: field 2, length-delimited. */
export const DATA_TAG = bytesTag(2)

let service: grpc.ServiceDefinition | undefined

export function p2pService(): grpc.ServiceDefinition {
  if (service) return service
  const def = protoLoader.fromJSON(P2P_DESCRIPTOR, CONVERSION)
  const base = def[SERVICE] as grpc.ServiceDefinition
  const get = base.Get as grpc.MethodDefinition<unknown, GetPart>
  const serialize = get.responseSerialize
  const deserialize = get.responseDeserialize
  service = {
    ...base,
    Get: {
      ...get,
      responseSerialize: (m: GetPart) => {
        if (m instanceof FramedMessage) return m.message
        if (!m.data) return serialize(m)
        const out = Buffer.allocUnsafe(m.data.length + 6)
        out[0] = DATA_TAG
        const at = writeVarint(out, 1, m.data.length)
        m.data.copy(out, at)
        return out.subarray(0, at + m.data.length)
      },
      responseDeserialize: (b: Buffer) => {
        if (b.length > 1 && b[0] === DATA_TAG) {
          let len = 0
          let shift = 0
          let at = 1
          for (; at < b.length && at < 6; at++) {
            len += (b[at]! & 0x7f) * 2 ** shift
            shift += 7
            if ((b[at]! & 0x80) === 0) break
          }
          at++
          if (at + len === b.length) return { data: b.subarray(at), part: 'data' }
        }
        return deserialize(b)
      },
    },
  }
  return service
}

export function clientConstructor(): grpc.ServiceClientConstructor {
  return grpc.makeGenericClientConstructor(p2pService(), 'P2PCache')
}
