import { commitPut, type CommitArgs, type CommitOutcome } from './commit.js'
import type { Row, SqliteIndex } from './sqlite-index.js'

interface Waiting {
  args: CommitArgs
  resolve(outcome: CommitOutcome): void
  reject(err: unknown): void
}

/**
 * Group commit: the index rows of every put whose bytes were staged in the same turn of the event loop go into
 * one write transaction, each in a savepoint of its own, and each put is acknowledged only once that transaction
 * has committed — the same durability as one transaction per put. A commit writes several WAL frames whatever it
 * holds (the LRU index, inline_blobs, its AUTOINCREMENT counter, ns_usage, the header page), and all but the
 * entry's own leaf land on the same pages for puts made together: turbo, Nx and a cold Bazel build upload many
 * small entries at once (bench:http, PUT 1 KiB with a new key each time; strace showed ~18 pwrite per put alone).
 * One put's failure rolls back its savepoint only; a failed COMMIT (disk full) fails every put in the group, and
 * none of them is stored.
 */
export class GroupCommit {
  private waiting: Waiting[] = []
  private scheduled: NodeJS.Immediate | undefined

  constructor(private readonly index: SqliteIndex, private readonly expired: (row: Row) => boolean) {}

  commit(args: CommitArgs): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ args, resolve, reject })
      // setImmediate runs after the poll phase: every body that finished arriving in this loop turn joins.
      this.scheduled ??= setImmediate(() => this.flush())
    })
  }

  /** Commits what is waiting now (also called by close(), before the index goes away). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    const group = this.waiting
    this.waiting = []
    if (group.length === 0) return
    if (group.length === 1) {
      const [one] = group as [Waiting]
      try {
        one.resolve(commitPut(this.index, this.expired, one.args))
      } catch (err) {
        one.reject(err)
      }
      return
    }
    const results: ({ ok: true; outcome: CommitOutcome } | { ok: false; err: unknown })[] = []
    try {
      this.index.transaction(() => {
        // commitPut opens its own transaction, which nested here is a savepoint.
        for (const w of group) {
          try {
            results.push({ ok: true, outcome: commitPut(this.index, this.expired, w.args) })
          } catch (err) {
            // SQLite rolls the whole transaction back on some errors (SQLITE_FULL, SQLITE_IOERR). The puts after
            // this one would then each commit on their own while the group is reported failed: stop here.
            if (!this.index.db.inTransaction) throw err
            results.push({ ok: false, err })
          }
        }
      })
    } catch (err) {
      // Nothing of the group was stored: the error of the put that broke the transaction, or the COMMIT's own.
      for (const w of group) w.reject(err)
      return
    }
    for (const [i, w] of group.entries()) {
      const r = results[i]!
      if (r.ok) w.resolve(r.outcome)
      else w.reject(r.err)
    }
  }
}
