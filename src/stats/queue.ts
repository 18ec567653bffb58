import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import type { QueueLine } from './text.js'

// The upload queue as `fabrik stats` shows it with the daemon stopped: read straight from the store's index
// (read-only; the rows are what the next daemon will upload). Layers are named by their configured URL here.

export function queuedUploads(indexPath: string): QueueLine[] {
  if (!existsSync(indexPath)) return []
  const db = new Database(indexPath, { readonly: true, fileMustExist: true, timeout: 2000 })
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'upload_queue'").get()
    if (!has) return []
    const rows = db.prepare('SELECT layer, count(*) AS entries, coalesce(sum(size), 0) AS bytes FROM upload_queue GROUP BY layer').all() as QueueLine[]
    return rows
  } finally {
    db.close()
  }
}
