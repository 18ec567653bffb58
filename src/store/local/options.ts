import type { EvictionPolicy } from '../../config/types.js'
import { FabrikError } from '../../errors/registry.js'
import type { RecoveryMode } from './recovery.js'

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
  /** Clock for tests. */
  now?: () => number
}

/** Returns the low watermark after checking the numbers config validation should already have caught. */
export function checkOptions(options: LocalStoreOptions): number {
  if (!Number.isSafeInteger(options.maxSize) || options.maxSize <= 0) {
    throw new FabrikError('CONFIG_INVALID', `cache.max_size must be a positive number of bytes, got ${options.maxSize}`)
  }
  if (options.evictionPolicy === 'ttl' && !(options.defaultTtl > 0)) {
    throw new FabrikError('CONFIG_INVALID', `cache.default_ttl must be positive with the ttl policy, got ${options.defaultTtl}`)
  }
  const low = options.lowWatermark ?? 0.9
  if (!(low > 0 && low <= 1)) throw new FabrikError('CONFIG_INVALID', `low watermark must be in (0, 1], got ${low}`)
  return low
}
