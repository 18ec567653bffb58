import * as grpc from '@grpc/grpc-js'
import type { GrpcContext } from '../context.js'
import { toGrpcError } from '../errors.js'
import type { Tally } from '../observe.js'

/**
 * LLVM's RemoteCachingService reports failures inside the response (outcome ERROR + ResponseError) rather than
 * as a gRPC status, and the client treats them as a cache error for that one request. The message still comes
 * from the one error map, and the request counts as an error in /metrics.
 */
export function responseError(ctx: GrpcContext, tally: Tally, method: string, err: unknown): { description: string } {
  const e = toGrpcError(err)
  tally.outcome = 'error'
  const fields = { service: 'xcode', method, status: grpc.status[e.code], err: e.details }
  if (e.code === grpc.status.INTERNAL) ctx.logger.error(fields, 'xcode cache request failed')
  else ctx.logger.debug(fields, 'xcode cache request refused')
  return { description: e.details }
}
