import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { HOUR_MS, type Row } from './types.js'

// <cache dir>/stats.db: a small SQLite file of its own (not the store's index), so recording never contends with
// the store's transactions and `fabrik stats` reads it with the daemon stopped. The daemon adds its in-memory
// tallies every few seconds (one transaction, a handful of rows); nothing is written per request.

export const STATS_FILE = 'stats.db'

export function statsPath(cacheDir: string): string {
  return join(cacheDir, STATS_FILE)
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hourly (
  hour INTEGER NOT NULL,
  tool TEXT NOT NULL,
  layer TEXT NOT NULL,
  peer TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  hits INTEGER NOT NULL DEFAULT 0,
  misses INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  bytes_in INTEGER NOT NULL DEFAULT 0,
  bytes_out INTEGER NOT NULL DEFAULT 0,
  saved_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, tool, layer, peer)
) WITHOUT ROWID;
`

interface DbRow {
  hour: number
  tool: string
  layer: string
  peer: string
  requests: number
  hits: number
  misses: number
  errors: number
  bytes_in: number
  bytes_out: number
  saved_ms: number
}

export class StatsDb {
  private readonly db: Database.Database
  private readonly upsert: Database.Statement
  private readonly addAll: (rows: readonly Row[]) => void

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true })
    this.db = new Database(path, { timeout: 5000 })
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.exec(SCHEMA)
    this.upsert = this.db.prepare(`
      INSERT INTO hourly (hour, tool, layer, peer, requests, hits, misses, errors, bytes_in, bytes_out, saved_ms)
      VALUES (@hour, @tool, @layer, @peer, @requests, @hits, @misses, @errors, @bytesIn, @bytesOut, @savedMs)
      ON CONFLICT (hour, tool, layer, peer) DO UPDATE SET
        requests = requests + excluded.requests, hits = hits + excluded.hits, misses = misses + excluded.misses,
        errors = errors + excluded.errors, bytes_in = bytes_in + excluded.bytes_in,
        bytes_out = bytes_out + excluded.bytes_out, saved_ms = saved_ms + excluded.saved_ms`)
    this.addAll = this.db.transaction((rows: readonly Row[]) => {
      for (const r of rows) this.upsert.run({ ...r, savedMs: Math.round(r.savedMs) })
    })
  }

  /** Adds these deltas to the stored hours (one transaction). */
  add(rows: readonly Row[]): void {
    if (rows.length > 0) this.addAll(rows)
  }

  /** Every row of the hours that overlap [sinceMs, now]. */
  rows(sinceMs: number): Row[] {
    const from = Math.floor(sinceMs / HOUR_MS)
    const raw = this.db.prepare('SELECT * FROM hourly WHERE hour >= ? ORDER BY hour').all(from) as DbRow[]
    return raw.map((r) => ({
      hour: r.hour, tool: r.tool, layer: r.layer, peer: r.peer, requests: r.requests, hits: r.hits, misses: r.misses,
      errors: r.errors, bytesIn: r.bytes_in, bytesOut: r.bytes_out, savedMs: r.saved_ms,
    }))
  }

  /** Deletes hours that ended before `beforeMs` (the retention limit); returns how many rows went. */
  prune(beforeMs: number): number {
    return this.db.prepare('DELETE FROM hourly WHERE hour < ?').run(Math.floor(beforeMs / HOUR_MS)).changes
  }

  /** `fabrik stats --zero`: forgets every figure. */
  zero(): number {
    return this.db.prepare('DELETE FROM hourly').run().changes
  }

  close(): void {
    this.db.close()
  }
}
