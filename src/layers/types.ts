import type { BlobStore } from '../store/types.js'

/** The smallest logger the layers need (pino's Logger fits). */
export interface LayerLogger {
  /** One line per layer read (`fabrik daemon logs` shows its layer column); optional so small test loggers fit. */
  debug?(obj: object, msg: string): void
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export type LayerKind = 's3' | 'grpc' | 'p2p'

/** A slower layer behind the local store, as the chain and the upload workers see it. */
export interface LayerSpec {
  /** Stable id (the configured URL): upload-queue rows name their layer by it, so it must survive restarts. */
  id: string
  /** Short label for logs and metrics: "s3", "regional", "p2p" (suffixed "#2", ... when repeated). */
  name: string
  kind: LayerKind
  store: BlobStore
  /** Bound on each call until the layer answers (and on each silence while a body streams). */
  timeoutMs: number
  /** Never written to: no uploads are queued for it. */
  readOnly: boolean
  /** Owed every entry stored locally (through the durable queue), unless readOnly. */
  writeThrough: boolean
  /** Uploads to this layer in parallel. */
  workers: number
  /** Its circuit breaker: consecutive failures to go offline, and the cool-down before a probe. */
  breaker: { failures: number; cooldownMs: number }
  /**
   * Its answers are hashed and checked against their SHA-256 inside the layer already (the P2P layer, which must
   * know which peer sent bad bytes): the chain then checks sizes only instead of hashing every byte again.
   */
  checksDigests?: boolean
}

/** Layers that receive uploads. */
export function uploadLayers(layers: readonly LayerSpec[]): LayerSpec[] {
  return layers.filter((l) => l.writeThrough && !l.readOnly)
}
