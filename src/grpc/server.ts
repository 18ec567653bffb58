import { connect } from 'node:net'
import { chmod, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../errors/registry.js'
import type { Metrics } from '../metrics/metrics.js'
import type { BlobStore } from '../store/types.js'
import { PartialUploads, partialUploadsCap } from './bytestream/uploads.js'
import { withFastReadResponses } from './bytestream/read-response.js'
import { byteStreamService } from './bytestream/service.js'
import { SILENT_LOGGER, type GrpcContext, type GrpcLogger } from './context.js'
import { loadProtos } from './protos.js'
import { requestDeadline } from './request-deadline.js'
import { widenReceiveWindow } from './window.js'
import { actionCacheService } from './reapi/action-cache.js'
import { capabilitiesService } from './reapi/capabilities.js'
import { casService } from './reapi/cas.js'
import { casDbService } from './xcode/cas.js'
import { HandedOutFiles } from './xcode/handed-out.js'
import { keyValueService } from './xcode/keyvalue.js'

// The daemon's gRPC surface: REAPI v2 (Capabilities, ContentAddressableStorage, ActionCache) and ByteStream for
// Bazel, Buck2 and Pants, plus — with `xcode` — Xcode's KeyValueDB and CASDBService. createGrpcServer builds the
// server and never binds; bindGrpc binds it to 127.0.0.1:PORT or unix:/path (the same server may be bound to both).

/**
 * Spooling an upload to its partial file writes every byte a second time, and with it the daemon spent 2.3× the
 * CPU on a Bazel upload of 4 MiB outputs (bench:grpc cold builds; 80 MiB of 4 MiB blobs: ~1.0 s → ~0.45 s). A
 * cut-off upload below this size is resent whole instead, which on a local daemon costs less than spooling every
 * upload did; the large outputs where a resend hurts (archives, images) are still resumable.
 */
export const RESUMABLE_MIN_BYTES = 16 * 1024 * 1024

export interface GrpcDeps {
  store: BlobStore
  metrics: Metrics
  logger?: GrpcLogger
  /** max_batch_total_size_bytes advertised and enforced for BatchUpdateBlobs/BatchReadBlobs. Default 4 MiB. */
  maxBatchBytes?: number
  /** Also serve compilation_cache_service.{keyvalue,cas}.v1 (Xcode; bound on the [daemon] socket). */
  xcode?: boolean
  /** Parent folder of partial ByteStream uploads. Default: the OS temp folder. */
  uploadDir?: string
  /** Folder for blobs handed to Xcode as files (write_to_disk). Default: <tmp>/fabrik-xcode-<pid>. */
  xcodeDir?: string
  /** Uploads smaller than this are not kept for resuming (resending is cheaper). Default RESUMABLE_MIN_BYTES. */
  resumableMinBytes?: number
  /** Partial uploads untouched for this long are dropped. Default 1 h. */
  partialUploadTtlMs?: number
  /** The cache's max_size: partial uploads keep at most partialUploadsCap of it. Default: PARTIAL_UPLOADS_MAX_BYTES in all. */
  cacheMaxBytes?: number
  /** Keeps partial uploads of different scopes apart (fabrik server: the request's tenant). Default: one scope. */
  uploadScope?: () => string
  /** Files handed to Xcode and not picked up within this long are removed. Default 1 h. */
  handedOutTtlMs?: number
  /**
   * [runtime] timeouts (ms): a request silent for idleMs, or not all arrived within requestMs, fails; connections
   * are pinged and closed when idle. Default: DEFAULT_GRPC_TIMEOUTS, so no caller serves without them.
   */
  timeouts?: Omit<GrpcTimeouts, 'requestMs'> & { requestMs?: number }
  /** Wraps every service's handlers (fabrik server: JWT check and tenant scope before any handler runs). */
  wrapHandlers?: (impl: grpc.UntypedServiceImplementation) => grpc.UntypedServiceImplementation
  /** More services on the same server (fabrik server: fabrik.v1.FabrikCache). */
  extraServices?: (ctx: GrpcContext) => [grpc.ServiceDefinition, grpc.UntypedServiceImplementation][]
}

export interface GrpcTimeouts {
  idleMs: number
  keepAliveMs: number
  requestMs: number
}

/** The [runtime] defaults of defaultConfig() (docs/configuration.md), for callers that pass no timeouts. */
export const DEFAULT_GRPC_TIMEOUTS: GrpcTimeouts = { idleMs: 30_000, keepAliveMs: 60_000, requestMs: 10 * 60_000 }

export const DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024
const XCODE_MAX_MESSAGE_BYTES = 256 * 1024 * 1024

/**
 * A grpc.Server that also closes what its services keep between calls (partial uploads, the sweep of files handed
 * to Xcode) when it shuts down, however the owner shuts it down.
 */
class FabrikGrpcServer extends grpc.Server {
  constructor(options: grpc.ServerOptions, private readonly kept: { close(): void }[]) {
    super(options)
    widenReceiveWindow(this)
  }

  override tryShutdown(callback: (error?: Error) => void): void {
    super.tryShutdown((error) => {
      for (const k of this.kept) k.close()
      callback(error)
    })
  }

  override forceShutdown(): void {
    super.forceShutdown()
    for (const k of this.kept) k.close()
  }
}

export function createGrpcServer(deps: GrpcDeps): grpc.Server {
  const maxBatchBytes = deps.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES
  const timeouts: GrpcTimeouts = { ...DEFAULT_GRPC_TIMEOUTS, ...deps.timeouts }
  const logger = deps.logger ?? SILENT_LOGGER
  const ctx: GrpcContext = { store: deps.store, metrics: deps.metrics, logger, maxBatchBytes, idleTimeoutMs: timeouts.idleMs, requestTimeoutMs: timeouts.requestMs }
  const uploads = new PartialUploads(deps.uploadDir ?? tmpdir(), deps.partialUploadTtlMs ?? 60 * 60 * 1000, {
    ...(deps.cacheMaxBytes !== undefined ? { maxBytes: partialUploadsCap(deps.cacheMaxBytes) } : {}),
    ...(deps.uploadScope ? { scope: deps.uploadScope } : {}),
  })
  const writeOptions = { uploads, resumableMinBytes: deps.resumableMinBytes ?? RESUMABLE_MIN_BYTES }
  // A full batch plus protobuf framing must fit in one message (grpc-js refuses larger ones before a handler sees
  // them); Xcode may send whole object files inline in Put/Save, so its server accepts much larger messages.
  const messageLimit = deps.xcode ? XCODE_MAX_MESSAGE_BYTES : maxBatchBytes + 1024 * 1024
  const handedOut = new HandedOutFiles(deps.xcodeDir ?? join(tmpdir(), `fabrik-xcode-${process.pid}`), deps.handedOutTtlMs ?? 60 * 60 * 1000)
  const server = new FabrikGrpcServer({
    'grpc.max_receive_message_length': messageLimit,
    // A connection without calls is closed (GOAWAY) after this; clients reconnect on their next call.
    'grpc.max_connection_idle_ms': timeouts.keepAliveMs,
    // Connections with calls are pinged; one whose peer stops answering (gone, or silent) is closed.
    'grpc.keepalive_time_ms': timeouts.keepAliveMs,
    'grpc.keepalive_timeout_ms': Math.min(20_000, timeouts.keepAliveMs),
    // Channelz (on by default in grpc-js) counts and timestamps every call and received or sent message, for an
    // introspection service this server never registers: work per message of a 16 KiB-chunked upload for nothing.
    'grpc.enable_channelz': 0,
    // A unary or server-streaming call's one request message must arrive like an HTTP body (request-deadline.ts).
    interceptors: [requestDeadline({ idleMs: timeouts.idleMs, requestMs: timeouts.requestMs }, logger)],
  }, [uploads, handedOut])
  const protos = loadProtos()
  const v2 = protos.build.bazel.remote.execution.v2
  const add = (definition: grpc.ServiceDefinition, impl: object) => {
    const handlers = impl as grpc.UntypedServiceImplementation
    server.addService(definition, deps.wrapHandlers ? deps.wrapHandlers(handlers) : handlers)
  }
  add(v2.Capabilities.service, capabilitiesService(ctx))
  add(v2.ContentAddressableStorage.service, casService(ctx))
  add(v2.ActionCache.service, actionCacheService(ctx))
  add(withFastReadResponses(protos.google.bytestream.ByteStream.service), byteStreamService(ctx, writeOptions))
  if (deps.xcode) {
    add(protos.compilation_cache_service.keyvalue.v1.KeyValueDB.service, keyValueService(ctx))
    add(protos.compilation_cache_service.cas.v1.CASDBService.service, casDbService(ctx, { handedOut }))
  }
  for (const [definition, impl] of deps.extraServices?.(ctx) ?? []) add(definition, impl)
  return server
}

/** A socket file left by a daemon that died is removed; one a live server answers on is left alone. */
async function removeStaleSocket(path: string): Promise<void> {
  const s = await stat(path).catch(() => undefined)
  if (!s?.isSocket()) return
  const alive = await new Promise<boolean>((resolve) => {
    const socket = connect(path)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
  if (!alive) await rm(path, { force: true })
}

/**
 * Binds `127.0.0.1:PORT` (0 picks a free port) or `unix:/absolute/path`; resolves to the bound port (0 for a unix
 * socket). A unix socket is made private to its owner: Xcode runs as the same user.
 */
export async function bindGrpc(server: grpc.Server, address: string, credentials = grpc.ServerCredentials.createInsecure()): Promise<number> {
  const unixPath = address.startsWith('unix:') ? address.slice('unix:'.length) : undefined
  if (unixPath !== undefined) await removeStaleSocket(unixPath)
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, credentials, (err, bound) => {
      if (err) reject(new FabrikError('DAEMON_START_FAILED', `cannot listen for gRPC on ${address}: ${err.message}`, { cause: err }))
      else resolve(bound)
    })
  })
  if (unixPath !== undefined) await chmod(unixPath, 0o600)
  return unixPath !== undefined ? 0 : port
}
