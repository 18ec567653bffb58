import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'

// On-disk layout under `cache.dir`:
//   index.db (+ -wal, -shm)   the SQLite index
//   blobs/<00..ff>/<name>      one file per entry, fanned out over 256 folders so no folder grows huge
//   tmp/<pid>.<random>         writes in flight; renamed into blobs/ only once complete and fsynced
//
// A blob's name is sha256(ns "\0" key) plus a random generation suffix. The hash keeps keys out of file names
// (no traversal, no case-folding surprises on macOS); the suffix gives every write its own file, so an overwrite
// never replaces the bytes an index row still describes: a crash between rename and index update leaves an
// orphan file (reclaimed at open), never a row whose file holds someone else's bytes.
//
// Small blobs live in the index instead (schema.ts): their entry's `file` is "inline/<id>", the row of
// inline_blobs holding the bytes. Ids are never reused (AUTOINCREMENT), so the name is a generation like a file
// name's suffix. It names no file, and "in" is no fan-out folder: the recovery scan, which reads rows folder by
// folder, never sees these rows.

/** Cache folders and files are the user's alone: they hold build outputs (see docs/architecture.md). */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

export interface StoreLayout {
  dir: string
  db: string
  blobs: string
  tmp: string
}

export function layout(dir: string): StoreLayout {
  return { dir, db: join(dir, 'index.db'), blobs: join(dir, 'blobs'), tmp: join(dir, 'tmp') }
}

export const FAN_DIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

const INLINE_PREFIX = 'inline/'

/** Relative path ("ab/ab12….k3f9x0") of a new blob file for (ns, key). */
export function newBlobName(ns: string, key: string): string {
  const h = createHash('sha256').update(ns).update('\0').update(key).digest('hex')
  return `${h.slice(0, 2)}/${h}.${randomBytes(6).toString('hex')}`
}

/** The `file` of an entry whose bytes are row `id` of inline_blobs. */
export function inlineName(id: number): string {
  return `${INLINE_PREFIX}${id}`
}

export function isInline(file: string): boolean {
  return file.startsWith(INLINE_PREFIX)
}

const BLOB_NAME_RE = /^[0-9a-f]{64}\.[0-9a-f]{12}$/

export function isBlobName(base: string): boolean {
  return BLOB_NAME_RE.test(base)
}

/** Temp files carry the writer's pid so a second process opening the store leaves a live writer's files alone. */
// Unique per process without a randomBytes call per put (15 µs each, a twentieth of a small PUT, --cpu-prof): a
// random part drawn once tells a reused pid's files from its predecessor's, a counter tells this process's apart.
let tempPrefix: string | undefined
let tempCounter = 0

export function newTempName(): string {
  tempPrefix ??= `${process.pid}.${randomBytes(6).toString('hex')}`
  return `${tempPrefix}${(tempCounter++).toString(36)}`
}

export function tempOwner(base: string): number | undefined {
  const m = /^(\d+)\./.exec(base)
  return m ? Number(m[1]) : undefined
}
