import * as grpc from '@grpc/grpc-js'
import { tokenFromAuthorization } from '../auth/credentials.js'
import { requestPrincipal } from '../auth/tenant.js'
import { requirePermission, type Permission, type Principal } from '../auth/verify.js'
import { toGrpcError } from '../grpc/errors.js'
import type { Authenticator } from './authenticator.js'
import { checkMessageInstance } from './tenant-names.js'

// Calls that only read. Every other call of every service writes (UpdateActionResult, BatchUpdateBlobs,
// ByteStream.Write, FabrikCache.Put and Delete).
const READ_CALLS = new Set([
  'GetCapabilities', 'FindMissingBlobs', 'BatchReadBlobs', 'GetTree', 'GetActionResult', 'Read', 'QueryWriteStatus',
  'Exists', 'Get', 'GetStats',
])

type AnyCall = { metadata: grpc.Metadata }

/**
 * Handlers read a client stream through its async iterator (write.ts, fabrik-cache.ts; observe.ts's limitIdle
 * wraps it the same way): a message naming another tenant's instance makes the handler's next() fail with
 * PERMISSION_DENIED before it has stored anything.
 */
function checkEachMessage(call: AsyncIterable<unknown>, principal: Principal): void {
  const iterate = call[Symbol.asyncIterator].bind(call)
  call[Symbol.asyncIterator] = () => {
    const inner = iterate()
    return {
      next: async () => {
        const r = await inner.next()
        if (!r.done) checkMessageInstance(principal, r.value)
        return r
      },
      return: async (value?: unknown) => (inner.return ? inner.return(value) : { done: true as const, value }),
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }
}
type Handler = (call: AnyCall, callback?: grpc.sendUnaryData<unknown>) => void

/**
 * Wraps every handler of a service: the `authorization` metadata is verified, the permission and the instance name
 * (tenant-names.ts) checked before the handler runs, inside the principal's scope (TenantStore). A refusal is UNAUTHENTICATED or PERMISSION_DENIED with
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
            const request = (call as { request?: unknown }).request
            // Unary and server-streaming calls carry their one message already; a client stream's (ByteStream
            // Write: the resource name is in its first message) are checked as the handler reads them.
            if (request !== undefined) checkMessageInstance(principal, request)
            else checkEachMessage(call as unknown as AsyncIterable<unknown>, principal)
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
