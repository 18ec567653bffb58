import Sqlite, { type Database, type Statement } from 'better-sqlite3'
import { closeSync, openSync } from 'node:fs'
import type { EvictionPolicy } from '../../config/types.js'
import { FILE_MODE } from './paths.js'
import { applySchema, VICTIM_ORDER } from './schema.js'

export interface Row {
  file: string
  size: number
  sha256: string
  created_at: number
  accessed_at: number
  access_count: number
  meta: string | null
}

/** A row and, for an inline entry, its bytes (null otherwise). */
export interface RowWithData extends Row {
  data?: Buffer | null
}

export interface KeyedRow extends Row {
  ns: string
  key: string
}

export interface Victim {
  ns: string
  key: string
  file: string
  size: number
}

export interface NewRow {
  ns: string
  key: string
  file: string
  size: number
  sha256: string
  now: number
  meta: string | null
}

const NOT_QUEUED = 'NOT EXISTS (SELECT 1 FROM upload_queue q WHERE q.ns = entries.ns AND q.key = entries.key)'
const ROW_COLUMNS = 'file, size, sha256, created_at, accessed_at, access_count, meta'
type RawRow = [string, number, string, number, number, number, string | null, (Buffer | null)?]

function toRow(r: RawRow): RowWithData {
  return { file: r[0], size: r[1], sha256: r[2], created_at: r[3], accessed_at: r[4], access_count: r[5], meta: r[6], data: r[7] }
}

/**
 * The indexes of this process whose lookups share a read transaction right now (SqliteIndex.readBatch). A write
 * through any of them ends them all: two stores on one cache dir in one process (a test's stand-in for another
 * process) then see each other's writes at once, as separate processes' stores do from the next turn on.
 */
const reading = new Set<SqliteIndex>()

function endAllReads(): void {
  for (const index of reading) index.endReads()
}

/** Every SQL statement the local store runs, prepared once. No file-system work happens here. */
export class SqliteIndex {
  readonly db: Database
  private readonly s: Record<string, Statement>
  private readonly listCache = new Map<string, Statement>()
  // One wrapper for every transaction: db.transaction() compiles a new one per call, which was a tenth of a small
  // put's CPU time (bench:store).
  private readonly tx: (fn: () => unknown) => unknown
  private readonly beginRead: Statement
  private readonly endRead: Statement

  constructor(path: string, policy: EvictionPolicy) {
    // SQLite gives index.db-wal and -shm the mode of index.db: create it private before SQLite creates it 0644.
    closeSync(openSync(path, 'a', FILE_MODE))
    this.db = new Sqlite(path, { timeout: 10_000 })
    applySchema(this.db, policy)
    // Every write transaction is BEGIN IMMEDIATE: it takes the write lock at once, waiting (busy timeout) for
    // another process's writer. A deferred one starts as a reader and upgrades at its first write; when another
    // process committed in between, SQLite answers SQLITE_BUSY at once, without calling the busy handler
    // (waiting could deadlock), and about 5% of puts from two processes on one store failed "database is locked".
    this.tx = this.db.transaction((fn: () => unknown) => fn()).immediate
    // Prepared before guardWrites(): they open and end the shared read transaction itself.
    this.beginRead = this.db.prepare('BEGIN DEFERRED')
    this.endRead = this.db.prepare('COMMIT')
    this.guardWrites()
    const db = this.db
    this.s = {
      // Point lookups return arrays (raw) turned into rows by toRow(): better-sqlite3 builds a keyed object per row
      // otherwise, which took a third of a small hit's lookup time (measured).
      get: db.prepare(`SELECT ${ROW_COLUMNS} FROM entries WHERE ns = ? AND key = ?`).raw(),
      // The join key is the id in file = 'inline/<id>' (paths.ts); file entries find no inline row.
      fileOf: db.prepare('SELECT file FROM entries WHERE ns = ? AND key = ?').pluck(),
      getWithData: db.prepare(`SELECT ${ROW_COLUMNS.replace(/(\w+)/g, 'e.$1')}, b.data
        FROM entries e LEFT JOIN inline_blobs b ON e.file GLOB 'inline/*' AND b.id = CAST(substr(e.file, 8) AS INTEGER)
        WHERE e.ns = ? AND e.key = ?`).raw(),
      insertInline: db.prepare('INSERT INTO inline_blobs (data) VALUES (?)'),
      // Positional parameters: binding them from an object by name cost ~1 us more per put (better-sqlite3, measured).
      upsert: db.prepare(`INSERT INTO entries (ns, key, file, size, sha256, created_at, accessed_at, access_count, meta)
        VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
        ON CONFLICT (ns, key) DO UPDATE SET file = excluded.file, size = excluded.size, sha256 = excluded.sha256,
          created_at = excluded.created_at, accessed_at = excluded.accessed_at, access_count = 0, meta = excluded.meta`),
      delete: db.prepare('DELETE FROM entries WHERE ns = ? AND key = ? RETURNING file'),
      deleteIfFile: db.prepare('DELETE FROM entries WHERE ns = ? AND key = ? AND file = ?'),
      touch: db.prepare(
        'UPDATE entries SET accessed_at = max(accessed_at, ?), access_count = access_count + ? WHERE ns = ? AND key = ?',
      ),
      // An entry still owed to a slower layer (upload_queue) is never a victim: evicting it would lose the upload.
      victims: db.prepare(`SELECT ns, key, file, size FROM entries WHERE ${NOT_QUEUED} ORDER BY ${VICTIM_ORDER[policy]} LIMIT ?`),
      expired: db.prepare(`SELECT ns, key, file, size FROM entries WHERE created_at < ? AND ${NOT_QUEUED} ORDER BY created_at LIMIT ?`),
      usage: db.prepare('SELECT total(entries) AS entries, total(bytes) AS bytes FROM ns_usage'),
      byNs: db.prepare('SELECT ns, entries, bytes FROM ns_usage WHERE entries > 0 ORDER BY ns'),
      counter: db.prepare('SELECT value FROM counters WHERE name = ?'),
      bump: db.prepare(
        'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
      ),
      setCounter: db.prepare(
        'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ),
      owners: db.prepare('SELECT token, pid, opened_at FROM owners'),
      addOwner: db.prepare('INSERT INTO owners (token, pid, opened_at) VALUES (?, ?, ?)'),
      removeOwner: db.prepare('DELETE FROM owners WHERE token = ?'),
      // The GLOB term names the partial index's condition (schema.ts), so the range is read from that index.
      filesIn: db.prepare("SELECT ns, key, file FROM entries WHERE file >= ? AND file < ? AND file NOT GLOB 'inline/*'"),
    }
  }

  get(ns: string, key: string): Row | undefined {
    const raw = this.s.get!.get(ns, key) as RawRow | undefined
    return raw && toRow(raw)
  }

  /** Just the entry's file: the narrowest lookup, to check that a cached copy is still current. */
  fileOf(ns: string, key: string): string | undefined {
    return this.s.fileOf!.get(ns, key) as string | undefined
  }

  /** get() plus the bytes of an inline entry, in one statement. */
  getWithData(ns: string, key: string): RowWithData | undefined {
    const raw = this.s.getWithData!.get(ns, key) as RawRow | undefined
    return raw && toRow(raw)
  }

  /** Stores inline bytes; returns their row id. Only ever inside the transaction that upserts the entry naming it. */
  insertInline(data: Buffer): number {
    return Number(this.s.insertInline!.run(data).lastInsertRowid)
  }

  upsert(row: NewRow): void {
    this.s.upsert!.run(row.ns, row.key, row.file, row.size, row.sha256, row.now, row.now, row.meta)
  }

  /**
   * Removes the row; returns its file so the caller can unlink it after the commit. In a transaction of its own:
   * get() steps a DELETE … RETURNING once and resets it, and an autocommit's COMMIT that fails there (disk full)
   * is not reported — the file came back as deleted while the row stayed. An explicit COMMIT throws.
   */
  delete(ns: string, key: string): string | undefined {
    return this.transaction(() => (this.s.delete!.get(ns, key) as { file: string } | undefined)?.file)
  }

  /** Removes the row only if it still points at `file` (a concurrent overwrite may have replaced it). */
  deleteIfFile(ns: string, key: string, file: string): boolean {
    return this.transaction(() => this.s.deleteIfFile!.run(ns, key, file).changes > 0)
  }

  touch(ns: string, key: string, at: number, hits: number): void {
    this.s.touch!.run(at, hits, ns, key)
  }

  victims(limit: number): Victim[] {
    return this.s.victims!.all(limit) as Victim[]
  }

  expired(before: number, limit: number): Victim[] {
    return this.s.expired!.all(before, limit) as Victim[]
  }

  usage(): { entries: number; bytes: number } {
    return this.s.usage!.get() as { entries: number; bytes: number }
  }

  byNamespace(): { ns: string; entries: number; bytes: number }[] {
    return this.s.byNs!.all() as { ns: string; entries: number; bytes: number }[]
  }

  counter(name: string): number {
    return (this.s.counter!.get(name) as { value: number } | undefined)?.value ?? 0
  }

  bump(name: string, by: number): void {
    this.s.bump!.run(name, by)
  }

  setCounter(name: string, value: number): void {
    this.transaction(() => this.s.setCounter!.run(name, value))
  }

  owners(): { token: string; pid: number; opened_at: number }[] {
    return this.s.owners!.all() as { token: string; pid: number; opened_at: number }[]
  }

  addOwner(token: string, pid: number, now: number): void {
    this.s.addOwner!.run(token, pid, now)
  }

  removeOwner(token: string): void {
    this.transaction(() => this.s.removeOwner!.run(token))
  }

  /** Rows whose file lives in fan-out folder `fan` ("ab/…"): '0' sorts right after '/'. */
  filesIn(fan: string): { ns: string; key: string; file: string }[] {
    return this.s.filesIn!.all(`${fan}/`, `${fan}0`) as { ns: string; key: string; file: string }[]
  }

  list(ns: string | undefined, prefix: string | undefined, limit: number): KeyedRow[] {
    const shape = `${ns === undefined ? '' : 'n'}${prefix === undefined ? '' : 'p'}`
    let stmt = this.listCache.get(shape)
    if (!stmt) {
      const where = [ns === undefined ? '' : 'ns = @ns', prefix === undefined ? '' : 'key GLOB @glob'].filter(Boolean)
      stmt = this.db.prepare(
        `SELECT ns, key, file, size, sha256, created_at, accessed_at, access_count, meta FROM entries
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ns, key LIMIT @limit`,
      )
      this.listCache.set(shape, stmt)
    }
    // Keys are limited to [A-Za-z0-9._-] (validated by the caller), so the prefix holds no GLOB metacharacters.
    const params: Record<string, string | number> = { limit }
    if (ns !== undefined) params.ns = ns
    if (prefix !== undefined) params.glob = `${prefix}*`
    return stmt.all(params) as KeyedRow[]
  }

  /** Called after every outermost write transaction that committed: the checkpoint thread's cue. */
  afterWrite: (() => void) | undefined

  /**
   * Runs lookups in the read transaction that every lookup of this turn of the event loop shares, opening it if
   * none is open. Why: each autocommit SELECT is a transaction of its own, and SQLite takes and drops its WAL read
   * lock with two fcntl() calls per transaction, expensive syscalls on the virtual machines measured here (strace
   * of a 1 KiB GET load: 2 fcntl per request beside its 1 read and 1 writev; the hot-entry check was a quarter of
   * the daemon's CPU profile). Several requests handled in one turn now take that lock once: 0.2 fcntl per GET,
   * and over 8 alternated old/new runs the median went from 10.5k to 12.0k GET/s, 92 to 81 µs of CPU each.
   *
   * What a lookup sees: everything this process committed (every write ends the shared transactions first:
   * transaction() and guardWrites()), and everything other processes (`fabrik cas put`, a second daemon on this
   * cache dir) had committed when the turn's first lookup ran. The transaction ends in the turn's check phase
   * (setImmediate), so a request is answered from a snapshot no older than the poll phase that read it.
   * Inside a write transaction `fn` simply runs there.
   */
  readBatch<T>(fn: () => T): T {
    if (!this.db.inTransaction) {
      this.beginRead.run()
      reading.add(this)
      setImmediate(() => this.endReads())
    }
    return fn()
  }

  /** Ends the shared read transaction, if one is open: before any write, at the end of the turn, at close. */
  endReads(): void {
    if (!reading.delete(this)) return
    if (this.db.open && this.db.inTransaction) this.endRead.run()
  }

  /**
   * Makes every statement that can write end the shared read transaction before it runs, whoever prepared it
   * (upload-queue.ts prepares its own on this connection). A write inside it would be committed only when the
   * turn ends — after its caller was told it was stored — and a write that upgrades a read snapshot older than
   * another process's commit fails at once with SQLITE_BUSY. Reads (statement.reader) run inside it unchanged.
   */
  private guardWrites(): void {
    const db = this.db
    const prepare = db.prepare.bind(db) as (...args: unknown[]) => Statement
    db.prepare = ((...args: unknown[]) => {
      const stmt = prepare(...args)
      if (stmt.reader) return stmt
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const original = stmt[method] as (...a: unknown[]) => unknown
        ;(stmt as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
          endAllReads()
          return original.apply(stmt, a)
        }
      }
      return stmt
    }) as Database['prepare']
  }

  /** Runs `fn` in one write transaction, BEGIN IMMEDIATE (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    // Not a savepoint inside this turn's read transaction: the write must commit when this returns.
    endAllReads()
    const result = this.tx(fn) as T
    // A nested call only released a savepoint: nothing new reached the WAL yet.
    if (!this.db.inTransaction) this.afterWrite?.()
    return result
  }

  close(): void {
    this.endReads()
    this.db.close()
  }
}
