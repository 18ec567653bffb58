import type { PutOptions } from '../types.js'
import type { Row, SqliteIndex } from './sqlite-index.js'

export type CommitOutcome =
  | { kind: 'stored'; old?: string }
  | { kind: 'exists' }
  | { kind: 'duplicate'; size: number }

export interface CommitArgs {
  ns: string
  key: string
  file: string
  size: number
  sha256: string
  /** The bytes of an inline entry (`file` is then an inline name); undefined for a published file. */
  data?: Buffer
  now: number
  options: PutOptions
}

/**
 * The index half of a put: one synchronous transaction, so two puts of one key racing through their async
 * writes cannot interleave here. The last complete writer wins, except that for content-addressed puts
 * (options.sha256) an entry already holding those bytes is kept and the newcomer's file discarded.
 */
export function commitPut(index: SqliteIndex, expired: (row: Row) => boolean, a: CommitArgs): CommitOutcome {
  const meta = a.options.meta && Object.keys(a.options.meta).length > 0 ? JSON.stringify(a.options.meta) : null
  return index.transaction((): CommitOutcome => {
    const cur = index.get(a.ns, a.key)
    const live = cur && !expired(cur) ? cur : undefined
    if (live && a.options.overwrite === false) return { kind: 'exists' }
    if (live && a.options.sha256 !== undefined && live.sha256 === a.sha256) return { kind: 'duplicate', size: live.size }
    index.upsert({ ns: a.ns, key: a.key, file: a.file, size: a.size, sha256: a.sha256, now: a.now, meta, data: a.data ?? null })
    return { kind: 'stored', old: cur?.file }
  })
}
