import type { ByteStreamHandlers } from '../../generated/google/bytestream/ByteStream.js'
import type { GrpcContext } from '../context.js'
import { read } from './read.js'
import { queryWriteStatus, write, type WriteOptions } from './write.js'

export function byteStreamService(ctx: GrpcContext, opts: WriteOptions): ByteStreamHandlers {
  return { Read: read(ctx), Write: write(ctx, opts), QueryWriteStatus: queryWriteStatus(ctx, opts) }
}
