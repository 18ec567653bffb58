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

  /**
   * Writes up to `limit` pending accesses (oldest first) in one transaction; rows deleted meanwhile are simply not
   * updated. Each update moves a row in the victim-order index, and with a large index every row is another
   * page written to the WAL: a chunk of ~1,000 costs tens of milliseconds, so the timer writes chunk by chunk,
   * yielding to requests in between, instead of stalling the event loop for the whole batch.
   */
  flush(index: SqliteIndex, limit = Infinity): number {
    if (this.pending.size === 0) return 0
    const batch: Pending[] = []
    for (const [id, p] of this.pending) {
      if (batch.length >= limit) break
      batch.push(p)
      this.pending.delete(id)
    }
    index.transaction(() => {
      for (const p of batch) index.touch(p.ns, p.key, p.at, p.hits)
    })
    return batch.length
  }
}
