import type { SqliteIndex } from './sqlite-index.js'

interface Pending {
  ns: string
  key: string
  at: number
  hits: number
}

/**
 * Reads must not each cost a SQLite write (a busy Bazel build does thousands of lookups a second), so access
 * times and counts are gathered here and written in one transaction per flush (every second, before eviction
 * picks victims, and at close). A crash loses at most one interval of recency, which only nudges eviction order.
 */
export class AccessLog {
  private pending = new Map<string, Pending>()

  record(ns: string, key: string, at: number): void {
    const id = `${ns}\0${key}`
    const p = this.pending.get(id)
    if (p) {
      p.hits++
      if (at > p.at) p.at = at
    } else {
      this.pending.set(id, { ns, key, at, hits: 1 })
    }
  }

  peek(ns: string, key: string): Pending | undefined {
    return this.pending.get(`${ns}\0${key}`)
  }

  forget(ns: string, key: string): void {
    this.pending.delete(`${ns}\0${key}`)
  }

  get size(): number {
    return this.pending.size
  }

  /** Writes every pending access in one transaction. Rows deleted meanwhile are simply not updated. */
  flush(index: SqliteIndex): number {
    if (this.pending.size === 0) return 0
    const batch = [...this.pending.values()]
    this.pending = new Map()
    index.transaction(() => {
      for (const p of batch) index.touch(p.ns, p.key, p.at, p.hits)
    })
    return batch.length
  }
}
