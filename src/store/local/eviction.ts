import type { SqliteIndex, Victim } from './sqlite-index.js'

const BATCH = 256

/**
 * Deletes index rows in the policy's victim order until the indexed bytes are at most `target`. Runs inside the
 * caller's transaction; the caller unlinks the returned files after the commit (index first, then files, so a
 * crash in between leaves orphans for recovery, never rows without files). `exclude` protects the entry that a
 * put has just committed from being its own victim.
 */
export function evictDownTo(index: SqliteIndex, target: number, exclude?: { ns: string; key: string }): Victim[] {
  let used = index.usage().bytes
  const evicted: Victim[] = []
  while (used > target) {
    const batch = index.victims(BATCH + 1)
    let progressed = false
    for (const v of batch) {
      if (used <= target) break
      if (exclude && v.ns === exclude.ns && v.key === exclude.key) continue
      if (index.deleteIfFile(v.ns, v.key, v.file)) {
        evicted.push(v)
        used -= v.size
        progressed = true
      }
    }
    if (!progressed) break
  }
  if (evicted.length > 0) index.bump('evictions', evicted.length)
  return evicted
}

/** ttl policy: entries created before `before` are dead weight whatever the disk use; drop a bounded batch. */
export function sweepExpired(index: SqliteIndex, before: number, limit: number): Victim[] {
  const expired = index.expired(before, limit).filter((v) => index.deleteIfFile(v.ns, v.key, v.file))
  if (expired.length > 0) index.bump('evictions', expired.length)
  return expired
}
