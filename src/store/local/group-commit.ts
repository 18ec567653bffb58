import { applyPut, commitPut, type CommitArgs, type CommitOutcome } from './commit.js'
import type { Row, SqliteIndex } from './sqlite-index.js'

interface Waiting {
  args: CommitArgs
  resolve(outcome: CommitOutcome): void
  reject(err: unknown): void
}

/**
 * Group commit: the index rows of every put whose bytes were staged in the same turn of the event loop go into
 * one write transaction, and each put is acknowledged only once that transaction
 * has committed — the same durability as one transaction per put. A commit writes several WAL frames whatever it
 * holds (the LRU index, inline_blobs, its AUTOINCREMENT counter, ns_usage, the header page), and all but the
 * entry's own leaf land on the same pages for puts made together: turbo, Nx and a cold Bazel build upload many
 * small entries at once (bench:http, PUT 1 KiB with a new key each time; strace showed ~18 pwrite per put alone).
 * One put's failure rolls back that put only (below); a failed COMMIT (disk full) fails every put in the group, and
 * none of them is stored.
 *
 * A savepoint per put is taken only after a put failed: SAVEPOINT and RELEASE are two statements more per put, ~4% of a
 * group's commit CPU (10 puts of 1 KiB a group, A/B in one process: median of nine runs 0.96, 0.86–1.07). A group is first run without them;
 * a put that throws while the transaction is still open rolls the whole group back, and the group runs again with
 * a savepoint per put — the same statements on the same rows, so the same outcomes as if savepoints had been taken
 * from the start.
 *
 * On the event loop, not a thread of its own: one was measured slower (docs/architecture.md, "Group commit").
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
    // Set when a put threw inside the transaction: whether SQLite had rolled it all back by itself by then.
    let rolledBack: boolean | undefined
    let outcomes: CommitOutcome[]
    try {
      outcomes = this.index.transaction(() => group.map((w) => {
        try {
          return applyPut(this.index, this.expired, w.args)
        } catch (err) {
          rolledBack = !this.index.db.inTransaction
          throw err
        }
      }))
    } catch (err) {
      if (rolledBack === false) {
        this.withSavepoints(group)
        return
      }
      // Nothing of the group was stored: SQLite rolled the transaction back (SQLITE_FULL, SQLITE_IOERR), or COMMIT failed.
      for (const w of group) w.reject(err)
      return
    }
    for (const [i, w] of group.entries()) w.resolve(outcomes[i]!)
  }

  /** The group again, each put in a savepoint of its own, so one put's failure rolls back that put only. */
  private withSavepoints(group: Waiting[]): void {
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
