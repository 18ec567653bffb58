import type { Metrics } from '../metrics/metrics.js'
import type { BlobStore } from '../store/types.js'

/** The few logger methods the gRPC layer uses; a pino Logger fits. */
export interface GrpcLogger {
  debug(obj: object, msg: string): void
  /** Sampled per-request lines (`[observability] request_log`). */
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
  /** pino's: per-request lines are built only when debug is on. */
  isLevelEnabled?(level: string): boolean
}

/** What every service implementation is built with. */
export interface GrpcContext {
  store: BlobStore
  metrics: Metrics
  logger: GrpcLogger
  /** Largest total of blob bytes one BatchUpdateBlobs/BatchReadBlobs may carry (advertised in Capabilities). */
  maxBatchBytes: number
  /** A client stream (ByteStream Write) whose client sends no message for this long fails with TIMEOUT. */
  idleTimeoutMs?: number
  /** ...and one whose messages have not all arrived after this long (a client dribbling them) fails too. */
  requestTimeoutMs?: number
}

/** Namespaces in the BlobStore. CAS blobs are shared with HTTP /cas and `fabrik cas` (key = sha256 hex). */
export const NS = {
  cas: 'cas',
  xcodeKv: 'xcode-kv',
  xcodeCas: 'xcode-cas',
} as const

export const SILENT_LOGGER: GrpcLogger = { debug() {}, info() {}, warn() {}, error() {} }
