import type { PutOptions } from '../types.js'
import { inlineName } from './paths.js'
import type { Row, SqliteIndex } from './sqlite-index.js'

export type CommitOutcome =
  | { kind: 'stored'; old?: string }
  | { kind: 'exists' }
  | { kind: 'duplicate'; size: number }

export interface CommitArgs {
  ns: string
  key: string
  /** Exactly one of: the published blob file, or the bytes of an inline entry. */
  file?: string
  data?: Buffer
  size: number
  sha256: string
  now: number
  options: PutOptions
  /** Runs inside the transaction once the entry is stored: queueing its uploads commits with it or not at all. */
  onStored?: () => void
}

/**
 * The index half of a put: one synchronous transaction, so two puts of one key racing through their async
 * writes cannot interleave here. The last complete writer wins, except that for content-addressed puts
 * (options.sha256) an entry already holding those bytes is kept and the newcomer's file discarded. Inline bytes
 * are inserted here, only when they are stored, in the same transaction as the entry naming them.
 */
export function commitPut(index: SqliteIndex, expired: (row: Row) => boolean, a: CommitArgs): CommitOutcome {
  return index.transaction(() => applyPut(index, expired, a))
}

/** commitPut's statements without a transaction of their own: the caller's transaction must be open. */
export function applyPut(index: SqliteIndex, expired: (row: Row) => boolean, a: CommitArgs): CommitOutcome {
  const meta = a.options.meta && Object.keys(a.options.meta).length > 0 ? JSON.stringify(a.options.meta) : null
  const cur = index.get(a.ns, a.key)
  const live = cur && !expired(cur) ? cur : undefined
  if (live && a.options.overwrite === false) return { kind: 'exists' }
  if (live && a.options.sha256 !== undefined && live.sha256 === a.sha256) return { kind: 'duplicate', size: live.size }
  const file = a.data ? inlineName(index.insertInline(a.data)) : a.file!
  index.upsert({ ns: a.ns, key: a.key, file, size: a.size, sha256: a.sha256, now: a.now, meta })
  a.onStored?.()
  return { kind: 'stored', old: cur?.file }
}
