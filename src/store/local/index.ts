export { LocalStore, openLocalStore, type LocalStoreOptions, type StoreLogger } from './store.js'
export type { RecoveryMode, RecoveryReport } from './recovery.js'
