import type { FabrikConfig } from '../config/types.js'
import { openLocalStore, type LocalStore, type LocalStoreOptions } from './local/store.js'

/** Maps `[cache]` to the local store's options; `extra` adds what config does not hold (logger, metrics hook). */
export function localStoreOptions(config: FabrikConfig, extra: Partial<LocalStoreOptions> = {}): LocalStoreOptions {
  return {
    dir: config.cache.dir,
    maxSize: config.cache.max_size,
    evictionPolicy: config.cache.eviction_policy,
    defaultTtl: config.cache.default_ttl,
    ...extra,
  }
}

/** The project's local store, as configured. The caller owns it and must close() it. */
export function openStoreFromConfig(config: FabrikConfig, extra: Partial<LocalStoreOptions> = {}): LocalStore {
  return openLocalStore(localStoreOptions(config, extra))
}
