import * as grpc from '@grpc/grpc-js'
import { toFabrikError, type ErrorKind, type FabrikError } from '../errors/registry.js'

// The one map from an error's kind to a gRPC status. Handlers throw FabrikErrors and never choose statuses
// themselves; anything that is not a FabrikError becomes INTERNAL (via toFabrikError).
export const GRPC_STATUS: Record<ErrorKind, grpc.status> = {
  usage: grpc.status.INVALID_ARGUMENT,
  // REAPI: wrong digest, wrong size, malformed resource name, bad offsets → INVALID_ARGUMENT, nothing stored.
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  // Bazel reads NOT_FOUND on GetActionResult as a plain miss.
  not_found: grpc.status.NOT_FOUND,
  already_exists: grpc.status.ALREADY_EXISTS,
  // REAPI names RESOURCE_EXHAUSTED for "insufficient storage"; Bazel retries it.
  too_large: grpc.status.RESOURCE_EXHAUSTED,
  // ByteStream.Read: the spec names OUT_OF_RANGE for a read_offset past the end of the blob.
  out_of_range: grpc.status.OUT_OF_RANGE,
  // The disk is full: REAPI's "insufficient storage"; Bazel retries it and then builds without the cache.
  insufficient_storage: grpc.status.RESOURCE_EXHAUSTED,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  permission_denied: grpc.status.PERMISSION_DENIED,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
  unavailable: grpc.status.UNAVAILABLE,
  // Our 'aborted' means the caller went away or cancelled; gRPC's ABORTED is a concurrency conflict.
  aborted: grpc.status.CANCELLED,
  timeout: grpc.status.DEADLINE_EXCEEDED,
  config: grpc.status.FAILED_PRECONDITION,
  internal: grpc.status.INTERNAL,
}

export function grpcStatusOf(err: unknown): grpc.status {
  return GRPC_STATUS[toFabrikError(err).kind]
}

export interface GrpcError extends Partial<grpc.StatusObject> {
  code: grpc.status
  details: string
  message: string
}

/**
 * What a handler passes to its callback / emits on its stream. Details carry the code and the registry's fix, e.g.
 * "STORE_FULL: ... (fix: Free space ...)": Bazel prints a failed upload's status details as its only explanation
 * ("WARNING: Remote Cache: RESOURCE_EXHAUSTED: ..."), so the fix must travel in them to reach the user.
 */
export function toGrpcError(err: unknown): GrpcError {
  const e: FabrikError = toFabrikError(err)
  const details = `${e.code}: ${e.message} (fix: ${e.fix})`
  return { code: GRPC_STATUS[e.kind], details, message: details }
}

/** A google.rpc.Status for per-item results (BatchUpdateBlobs / BatchReadBlobs). */
export function rpcStatus(err?: unknown): { code: number; message: string } {
  if (err === undefined) return { code: grpc.status.OK, message: '' }
  const e = toGrpcError(err)
  return { code: e.code, message: e.details }
}
