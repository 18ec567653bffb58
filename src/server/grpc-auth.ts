import * as grpc from '@grpc/grpc-js'
import { tokenFromAuthorization } from '../auth/credentials.js'
import { requestPrincipal } from '../auth/tenant.js'
import { requirePermission, type Permission } from '../auth/verify.js'
import { toGrpcError } from '../grpc/errors.js'
import type { Authenticator } from './authenticator.js'

// Calls that only read. Every other call of every service writes (UpdateActionResult, BatchUpdateBlobs,
// ByteStream.Write, FabrikCache.Put and Delete).
const READ_CALLS = new Set([
  'GetCapabilities', 'FindMissingBlobs', 'BatchReadBlobs', 'GetTree', 'GetActionResult', 'Read', 'QueryWriteStatus',
  'Exists', 'Get', 'GetStats',
])

type AnyCall = { metadata: grpc.Metadata }
type Handler = (call: AnyCall, callback?: grpc.sendUnaryData<unknown>) => void

/**
 * Wraps every handler of a service: the `authorization` metadata is verified and the permission checked before the
 * handler runs, inside the principal's scope (TenantStore). A refusal is UNAUTHENTICATED or PERMISSION_DENIED with
 * the reason, never a silent miss.
 */
export function grpcAuthenticate(auth: Authenticator): (impl: grpc.UntypedServiceImplementation) => grpc.UntypedServiceImplementation {
  return (impl) => {
    const wrapped: grpc.UntypedServiceImplementation = {}
    for (const [name, fn] of Object.entries(impl)) {
      const handler = fn as unknown as Handler
      const rpcName = name.charAt(0).toUpperCase() + name.slice(1)
      const needed: Permission = READ_CALLS.has(rpcName) ? 'cache:read' : 'cache:write'
      wrapped[name] = ((call: AnyCall, callback?: grpc.sendUnaryData<unknown>) => {
        const header = call.metadata.get('authorization')[0]
        auth.principal(tokenFromAuthorization(typeof header === 'string' ? header : header?.toString())).then(
          (principal) => {
            requirePermission(principal, needed)
            requestPrincipal.run(principal, () => handler(call, callback))
          },
        ).catch((err: unknown) => {
          const status = toGrpcError(err)
          if (callback) callback(status as grpc.ServiceError)
          else (call as unknown as grpc.ServerWritableStream<unknown, unknown>).emit('error', status)
        })
      }) as unknown as grpc.UntypedHandleCall
    }
    return wrapped
  }
}
