export { LocalStore, openLocalStore } from './store.js'
export type { LocalStoreOptions, StoreLogger } from './options.js'
export type { RecoveryMode, RecoveryReport } from './recovery.js'
