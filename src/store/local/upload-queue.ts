import type { Statement } from 'better-sqlite3'
import type { PendingUpload, QueueDepth, UploadQueueStore, UploadTargets } from '../types.js'
import type { SqliteIndex } from './sqlite-index.js'

export interface EnqueueOutcome {
  /** Layers whose queue was full: the entry is stored locally but will not reach them (counted and logged). */
  dropped: string[]
}

/**
 * Bazel uploads an action's output blobs before its ActionResult and relies on nobody serving the result before
 * the blobs (references.ts): action results go to slower layers after the blobs queued before them.
 */
export function uploadPriority(ns: string): number {
  return ACTION_RESULTS.test(ns) ? 1 : 0
}

/** REAPI's action cache ("ac", "ac.<instance>") and Bazel's HTTP one ("bazel-ac"). */
const ACTION_RESULTS = /^(?:ac|bazel-ac)(?:$|\.)/

type RawPending = [number, number, string, string, string, number, number, number]

/** The durable write-behind queue inside the store's SQLite index (schema.ts: upload_queue, upload_usage). */
export class UploadQueue implements UploadQueueStore {
  private readonly s: Record<string, Statement>

  constructor(private readonly index: SqliteIndex, private readonly token: string) {
    const db = index.db
    this.s = {
      usage: db.prepare('SELECT entries, bytes FROM upload_usage WHERE layer = ?').raw(),
      // Written again while queued: the row stays where it is in the order, and a claim of the older bytes can no
      // longer finish it (version).
      enqueue: db.prepare(`INSERT INTO upload_queue (layer, ns, key, size, priority, enqueued_at, next_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (layer, ns, key) DO UPDATE SET size = excluded.size, version = version + 1, attempts = 0,
          next_at = excluded.next_at, claimed_by = NULL`),
      queued: db.prepare('SELECT 1 FROM upload_queue WHERE layer = ? AND ns = ? AND key = ?').pluck(),
      candidates: db.prepare(`SELECT seq, version, layer, ns, key, size, attempts, enqueued_at FROM upload_queue q
        WHERE layer = @layer AND next_at <= @now
          AND (claimed_by IS NULL OR claimed_by NOT IN (SELECT token FROM owners))
          AND (priority = 0 OR NOT EXISTS (
            SELECT 1 FROM upload_queue b WHERE b.layer = q.layer AND b.priority = 0 AND b.seq < q.seq))
        ORDER BY priority, seq LIMIT @limit`).raw(),
      claim: db.prepare('UPDATE upload_queue SET claimed_by = ? WHERE seq = ?'),
      finish: db.prepare('DELETE FROM upload_queue WHERE seq = ? AND version = ?'),
      unclaim: db.prepare('UPDATE upload_queue SET claimed_by = NULL WHERE seq = ?'),
      retry: db.prepare(
        'UPDATE upload_queue SET claimed_by = NULL, attempts = attempts + 1, next_at = ?, last_error = ? WHERE seq = ?',
      ),
      postpone: db.prepare('UPDATE upload_queue SET claimed_by = NULL, next_at = ? WHERE seq = ?'),
      release: db.prepare('UPDATE upload_queue SET claimed_by = NULL WHERE claimed_by = ?'),
      depthOf: db.prepare(`SELECT (SELECT entries FROM upload_usage WHERE layer = @layer),
        (SELECT bytes FROM upload_usage WHERE layer = @layer),
        (SELECT min(enqueued_at) FROM upload_queue WHERE layer = @layer)`).raw(),
      depthAll: db.prepare(`SELECT (SELECT total(entries) FROM upload_usage), (SELECT total(bytes) FROM upload_usage),
        (SELECT min(enqueued_at) FROM upload_queue)`).raw(),
      layers: db.prepare('SELECT DISTINCT layer FROM upload_queue').pluck(),
      prune: db.prepare('DELETE FROM upload_queue WHERE layer = ?'),
    }
  }

  /** Runs inside the put's commit transaction. */
  enqueue(targets: UploadTargets, ns: string, key: string, size: number, now: number): EnqueueOutcome {
    const dropped: string[] = []
    const priority = uploadPriority(ns)
    for (const layer of targets.layers) {
      const usage = this.s.usage!.get(layer) as [number, number] | undefined
      const full = usage !== undefined && (usage[0] >= targets.maxEntries || usage[1] + size > targets.maxBytes)
      // A row already queued for this key is only updated, which never grows the queue by an entry.
      if (full && this.s.queued!.get(layer, ns, key) === undefined) {
        dropped.push(layer)
        continue
      }
      this.s.enqueue!.run(layer, ns, key, size, priority, now, now)
    }
    return { dropped }
  }

  claim(layer: string, limit: number, now: number): PendingUpload[] {
    return this.index.transaction(() => {
      const rows = (this.s.candidates!.all({ layer, now, limit }) as RawPending[]).map(toPending)
      for (const r of rows) this.s.claim!.run(this.token, r.seq)
      return rows
    })
  }

  // Each write in a transaction of its own (BEGIN IMMEDIATE, sqlite-index.ts): another process sharing the store
  // is then waited for instead of failing "database is locked".
  finish(row: PendingUpload): void {
    this.index.transaction(() => {
      if (this.s.finish!.run(row.seq, row.version).changes === 0) this.s.unclaim!.run(row.seq)
    })
  }

  retry(row: PendingUpload, nextAt: number, error: string): void {
    this.index.transaction(() => this.s.retry!.run(nextAt, error.slice(0, 500), row.seq))
  }

  postpone(row: PendingUpload, nextAt: number): void {
    this.index.transaction(() => this.s.postpone!.run(nextAt, row.seq))
  }

  releaseClaims(): void {
    this.index.transaction(() => this.s.release!.run(this.token))
  }

  depth(layer?: string): QueueDepth {
    const [entries, bytes, oldest] = (layer === undefined ? this.s.depthAll!.get() : this.s.depthOf!.get({ layer })) as [
      number | null, number | null, number | null,
    ]
    return { entries: entries ?? 0, bytes: bytes ?? 0, ...(oldest !== null ? { oldest } : {}) }
  }

  prune(keep: readonly string[]): number {
    let removed = 0
    this.index.transaction(() => {
      for (const layer of this.s.layers!.all() as string[]) {
        if (!keep.includes(layer)) removed += this.s.prune!.run(layer).changes
      }
    })
    return removed
  }
}

function toPending(r: RawPending): PendingUpload {
  return { seq: r[0], version: r[1], layer: r[2], ns: r[3], key: r[4], size: r[5], attempts: r[6], enqueuedAt: r[7] }
}
