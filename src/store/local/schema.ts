import type { Database } from 'better-sqlite3'
import type { EvictionPolicy } from '../../config/types.js'

// One row per entry. WITHOUT ROWID: the hot path is a point lookup by (ns, key), which is then one B-tree search.
// `file` is unique so the recovery scan can read the rows of one fan-out folder as an index range; the index
// leaves out inline entries (FILE_INDEX).
// ns_usage is kept exact by triggers, so every process sharing the store (daemon, `fabrik cas` commands) reads the
// same totals with one tiny query instead of SUM() over the whole table.
// Small blobs keep their bytes in inline_blobs, named by their entry as file = 'inline/<id>' (paths.ts). Not in
// entries itself: a WITHOUT ROWID B-tree compares whole records while searching, so rows carrying even 1 KiB made
// every lookup 3× slower, 16 KiB 7× (measured). A rowid table is searched by its integer alone. The triggers delete
// an entry's bytes in the same transaction as the entry (delete, eviction, overwrite), so none can be orphaned.
// upload_queue is the durable write-behind queue (upload-queue.ts): one row per slower layer still owed an entry,
// inserted in the same transaction as the entry's row, so an acknowledged put is never lost by a crash before its
// upload. upload_usage keeps its totals per layer exact (the queue's bound) the same way ns_usage does.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  ns TEXT NOT NULL,
  key TEXT NOT NULL,
  file TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  accessed_at INTEGER NOT NULL,
  access_count INTEGER NOT NULL DEFAULT 0,
  meta TEXT,
  PRIMARY KEY (ns, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ns_usage (
  ns TEXT PRIMARY KEY,
  entries INTEGER NOT NULL,
  bytes INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS owners (
  token TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  opened_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inline_blobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS upload_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  layer TEXT NOT NULL,
  ns TEXT NOT NULL,
  key TEXT NOT NULL,
  size INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT,
  last_error TEXT,
  UNIQUE (layer, ns, key)
);
CREATE INDEX IF NOT EXISTS upload_queue_order ON upload_queue(layer, priority, seq);
CREATE INDEX IF NOT EXISTS upload_queue_entry ON upload_queue(ns, key);
CREATE TABLE IF NOT EXISTS upload_usage (
  layer TEXT PRIMARY KEY,
  entries INTEGER NOT NULL,
  bytes INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS upload_usage_insert AFTER INSERT ON upload_queue BEGIN
  INSERT INTO upload_usage (layer, entries, bytes) VALUES (new.layer, 1, new.size)
    ON CONFLICT (layer) DO UPDATE SET entries = entries + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER IF NOT EXISTS upload_usage_delete AFTER DELETE ON upload_queue BEGIN
  UPDATE upload_usage SET entries = entries - 1, bytes = bytes - old.size WHERE layer = old.layer;
END;
CREATE TRIGGER IF NOT EXISTS upload_usage_resize AFTER UPDATE OF size ON upload_queue BEGIN
  UPDATE upload_usage SET bytes = bytes - old.size + new.size WHERE layer = new.layer;
END;
CREATE TRIGGER IF NOT EXISTS entries_inline_delete AFTER DELETE ON entries WHEN old.file GLOB 'inline/*' BEGIN
  DELETE FROM inline_blobs WHERE id = CAST(substr(old.file, 8) AS INTEGER);
END;
CREATE TRIGGER IF NOT EXISTS entries_inline_replace AFTER UPDATE OF file ON entries WHEN old.file GLOB 'inline/*' BEGIN
  DELETE FROM inline_blobs WHERE id = CAST(substr(old.file, 8) AS INTEGER);
END;
CREATE TRIGGER IF NOT EXISTS entries_usage_insert AFTER INSERT ON entries BEGIN
  INSERT INTO ns_usage (ns, entries, bytes) VALUES (new.ns, 1, new.size)
    ON CONFLICT (ns) DO UPDATE SET entries = entries + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER IF NOT EXISTS entries_usage_delete AFTER DELETE ON entries BEGIN
  UPDATE ns_usage SET entries = entries - 1, bytes = bytes - old.size WHERE ns = old.ns;
END;
CREATE TRIGGER IF NOT EXISTS entries_usage_resize AFTER UPDATE OF size ON entries BEGIN
  UPDATE ns_usage SET bytes = bytes - old.size + new.size WHERE ns = new.ns;
END;
`

/**
 * Only entries with a blob file: an inline entry's name is unique by its inline_blobs id already, and the recovery
 * scan never looks for one. Leaving them out spares every small put a page of this index in its commit (frames per
 * put in a commit of five: 3.7 → 3.1, measured).
 */
const FILE_INDEX = "CREATE UNIQUE INDEX entries_file ON entries(file) WHERE file NOT GLOB 'inline/*'"

/** Victim order per policy. ttl: expiry is created_at + a constant, so "expired first, then oldest" is created_at. */
export const VICTIM_ORDER: Record<EvictionPolicy, string> = {
  lru: 'accessed_at',
  lfu: 'access_count, accessed_at',
  ttl: 'created_at',
}

const POLICY_INDEXES: Record<EvictionPolicy, string> = {
  lru: 'CREATE INDEX IF NOT EXISTS entries_lru ON entries(accessed_at)',
  lfu: 'CREATE INDEX IF NOT EXISTS entries_lfu ON entries(access_count, accessed_at)',
  ttl: 'CREATE INDEX IF NOT EXISTS entries_ttl ON entries(created_at)',
}

/**
 * Creates the schema and keeps only the victim-order index of the active policy: every index is one more B-tree
 * to update on each put and each batched access flush. Switching policy rebuilds one index once, at open.
 */
export function applySchema(db: Database, policy: EvictionPolicy): void {
  db.pragma('journal_mode = WAL')
  // NORMAL in WAL mode: a commit is durable once the WAL is checkpointed; a power cut can lose the last commits
  // but never corrupts the file, and recovery then drops rows whose blob did not survive either.
  db.pragma('synchronous = NORMAL')
  // 64 MiB of page cache (default 2 MiB): a million-entry index is ~150 MiB, and access-time flushes and eviction
  // touch pages all over it. Memory is only taken as pages are used.
  db.pragma('cache_size = -65536')
  // Group commit (group-commit.ts) gives each put a savepoint; a page changed again under a savepoint is first
  // copied to the statement journal, a temp file by default: ~0.4 extra pwrite per small put (strace).
  db.pragma('temp_store = MEMORY')
  db.exec(SCHEMA)
  // Stores made before FILE_INDEX had a partial WHERE have the full index: rebuilt once, under the write lock so
  // two processes opening the store together do not both rebuild it.
  db.transaction(() => {
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'entries_file'").pluck().get()
    if (sql === FILE_INDEX) return
    db.exec('DROP INDEX IF EXISTS entries_file')
    db.exec(FILE_INDEX)
  }).immediate()
  for (const [p, ddl] of Object.entries(POLICY_INDEXES) as [EvictionPolicy, string][]) {
    db.exec(p === policy ? ddl : `DROP INDEX IF EXISTS entries_${p}`)
  }
}
