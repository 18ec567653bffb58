import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs'
import { uptime } from 'node:os'
import { join } from 'node:path'
import { isAlive } from '../../io/process.js'
import type { SqliteIndex } from './sqlite-index.js'
import { DIR_MODE, FAN_DIRS, tempOwner, type StoreLayout } from './paths.js'

// Crash recovery, run once at open. Writes go temp file → fsync → rename → index row; deletes go index row →
// unlink. So after kill -9 the only debris is (a) temp files, (b) blob files without a row. Rows without a file
// only appear after a power cut or outside tampering; they are dropped too.
// Inline rows (bytes in the index, see paths.ts) have no file and are written in one transaction, so a crash leaves
// them whole or absent; the scan reads rows by fan-out folder and never meets them.
//
// Every process that opens the store registers in `owners`; a clean close removes its row. A row whose pid is dead
// means that process crashed, and only then (or when asked with recovery: 'full') is the full scan run: with a
// million blobs it reads 256 folders and the whole index (about a second), which a `fabrik cas stats` run should
// not pay after every clean shutdown. While another live process uses the store, its temp files are left alone and
// young orphan files are spared (they may be renamed but not yet indexed); the scan is then marked as still due.

export type RecoveryMode = 'auto' | 'full'

export interface RecoveryReport {
  scanned: boolean
  tmpRemoved: number
  rowsDropped: number
  orphansRemoved: number
  orphansSpared: number
  ms: number
}

/** A blob renamed into place but not yet indexed is at most this old (fsync + rename + one event-loop turn). */
const ORPHAN_GRACE_MS = 60_000


function unlinkQuiet(path: string): boolean {
  try {
    unlinkSync(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

/** The fan-out folders under blobs/ are made by the first write into each (publish), not here: making all 256 at
 * open was a tenth of a fresh daemon's time to ready. */
export function prepareDirs(l: StoreLayout): void {
  mkdirSync(l.tmp, { recursive: true, mode: DIR_MODE })
  mkdirSync(l.blobs, { recursive: true, mode: DIR_MODE })
}

/** Registers this opener and repairs what a crashed one left behind. Returns the owner token for close(). */
export function recover(index: SqliteIndex, l: StoreLayout, mode: RecoveryMode): { token: string; report: RecoveryReport } {
  const started = Date.now()
  const token = randomBytes(8).toString('hex')
  const livePids = new Set<number>()
  let crashed = false
  // An owner registered before the last boot is dead even if its pid has since been given to another process.
  const bootedAt = started - uptime() * 1000
  index.transaction(() => {
    for (const o of index.owners()) {
      // A zombie (killed, not yet reaped by its parent) answers signal 0 but is as dead as any crashed owner.
      if (o.opened_at > bootedAt && isAlive(o.pid)) livePids.add(o.pid)
      else {
        crashed = true
        index.removeOwner(o.token)
      }
    }
    index.addOwner(token, process.pid, started)
  })
  const report: RecoveryReport = { scanned: false, tmpRemoved: 0, rowsDropped: 0, orphansRemoved: 0, orphansSpared: 0, ms: 0 }

  for (const name of readdirSync(l.tmp)) {
    const owner = tempOwner(name)
    if (owner !== undefined && livePids.has(owner)) continue
    if (unlinkQuiet(join(l.tmp, name))) report.tmpRemoved++
  }

  if (mode === 'full' || crashed || index.counter('scan_needed') > 0) {
    report.scanned = true
    const others = livePids.size > 0
    const cutoff = started - ORPHAN_GRACE_MS
    for (const fan of FAN_DIRS) {
      // Rows first, then the folder: a put committed in between then shows up as a young orphan (spared), never
      // as a row without a file.
      const rows = index.filesIn(fan)
      const dir = join(l.blobs, fan)
      const present = new Set(namesIn(dir).map((n) => `${fan}/${n}`))
      const indexed = new Set<string>()
      const missing: typeof rows = []
      for (const r of rows) {
        indexed.add(r.file)
        if (!present.has(r.file)) missing.push(r)
      }
      if (missing.length > 0) {
        index.transaction(() => {
          for (const r of missing) if (index.deleteIfFile(r.ns, r.key, r.file)) report.rowsDropped++
        })
      }
      for (const file of present) {
        if (indexed.has(file)) continue
        const path = join(l.blobs, file)
        if (others && statMtime(path) > cutoff) report.orphansSpared++
        else if (unlinkQuiet(path)) report.orphansRemoved++
      }
    }
    index.setCounter('scan_needed', report.orphansSpared > 0 ? 1 : 0)
  }
  report.ms = Date.now() - started
  return { token, report }
}

/** A folder's entries; none when it was never made (no blob has landed in that fan-out folder yet). */
function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

function statMtime(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}
