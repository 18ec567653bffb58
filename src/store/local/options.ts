import type { EvictionPolicy } from '../../config/types.js'
import { FabrikError } from '../../errors/registry.js'
import type { RecoveryMode } from './recovery.js'
import type { UploadTargets } from '../types.js'

export interface StoreLogger {
  warn(obj: object, msg: string): void
}


export interface LocalStoreOptions {
  /** Absolute cache folder (`cache.dir`). Created if missing. */
  dir: string
  /** Bytes of blobs kept on disk (`cache.max_size`). */
  maxSize: number
  evictionPolicy: EvictionPolicy
  /** Milliseconds an entry lives under the ttl policy (`cache.default_ttl`); ignored by lru and lfu. */
  defaultTtl: number
  /** Eviction stops once the blobs fit in this fraction of maxSize. Default 0.9. */
  lowWatermark?: number
  logger?: StoreLogger
  /** Called with the number of entries each eviction round removed (for fabrik_evictions_total). */
  onEvict?: (n: number) => void
  /** 'auto' (default): full consistency scan only after a crash. 'full': always scan at open. */
  recovery?: RecoveryMode
  /** Milliseconds between access-time flushes (and ttl sweeps). Default 1000. */
  flushIntervalMs?: number
  /**
   * Blobs of at most this many bytes are stored in their index row instead of a file of their own. Default
   * DEFAULT_INLINE_MAX; 0 stores every blob as a file.
   */
  inlineMaxBytes?: number
  /** Slower layers owed every new entry (the write-behind queue); none when absent. */
  uploads?: UploadTargets
  /** Called with the layers whose full queue could not take an entry (for fabrik_uploads_total{result="dropped"}). */
  onUploadDropped?: (layers: string[], ns: string, key: string) => void
  /**
   * Checkpoint the index WAL from a thread of its own (checkpointer.ts) instead of inside commits on the event
   * loop. For the long-lived owners of a store (daemon, `fabrik server`); a short CLI command does not need it.
   */
  checkpointThread?: boolean
  /** Clock for tests. */
  now?: () => number
}

/** Chosen with bench/store.ts: see the inline rows there. */
export const DEFAULT_INLINE_MAX = 32 * 1024
/** Inline rows are written and read synchronously on the event loop; keep them small. */
const INLINE_LIMIT = 1024 * 1024

/** Checks the numbers config validation should already have caught; returns the resolved low watermark and inline limit. */
export function checkOptions(options: LocalStoreOptions): { low: number; inlineMax: number } {
  if (!Number.isSafeInteger(options.maxSize) || options.maxSize <= 0) {
    throw new FabrikError('CONFIG_INVALID', `cache.max_size must be a positive number of bytes, got ${options.maxSize}`)
  }
  if (options.evictionPolicy === 'ttl' && !(options.defaultTtl > 0)) {
    throw new FabrikError('CONFIG_INVALID', `cache.default_ttl must be positive with the ttl policy, got ${options.defaultTtl}`)
  }
  const low = options.lowWatermark ?? 0.9
  if (!(low > 0 && low <= 1)) throw new FabrikError('CONFIG_INVALID', `low watermark must be in (0, 1], got ${low}`)
  const inlineMax = options.inlineMaxBytes ?? DEFAULT_INLINE_MAX
  if (!Number.isSafeInteger(inlineMax) || inlineMax < 0 || inlineMax > INLINE_LIMIT) {
    throw new FabrikError('CONFIG_INVALID', `inline blob limit must be 0..${INLINE_LIMIT} bytes, got ${inlineMax}`)
  }
  return { low, inlineMax }
}
