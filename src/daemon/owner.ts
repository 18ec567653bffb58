import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { FILE_MODE, makeStateDir, writeAtomic, type Ports } from './state.js'

// Which daemon serves a cache dir, recorded in the cache dir itself: <cache.dir>/daemons/<id>.json. The state
// dir is not the only record of a running daemon, because it can be deleted under it (a user clearing
// ~/.local/state, a tmp cleaner); a daemon spawned then for the same config finds its predecessor here, restores
// the predecessor's state files instead of serving the same store a second time, and exits (serve.ts).

export interface OwnerRecord {
  pid: number
  start_time?: string
  state_dir: string
  ports: Ports
  config_path?: string
}

export function ownerFile(cacheDir: string, id: string): string {
  return join(cacheDir, 'daemons', `${id}.json`)
}

export function readOwner(cacheDir: string, id: string): OwnerRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(ownerFile(cacheDir, id), 'utf8')) as OwnerRecord
    return Number.isSafeInteger(r.pid) && r.ports && typeof r.state_dir === 'string' ? r : undefined
  } catch {
    return undefined
  }
}

export function writeOwner(cacheDir: string, id: string, record: OwnerRecord): void {
  makeStateDir(join(cacheDir, 'daemons'))
  writeAtomic(ownerFile(cacheDir, id), `${JSON.stringify(record)}\n`, FILE_MODE)
}

/** Removes the record if it is this process's (a successor may have replaced it). */
export function removeOwner(cacheDir: string, id: string, pid = process.pid): void {
  if (readOwner(cacheDir, id)?.pid === pid) rmSync(ownerFile(cacheDir, id), { force: true })
}
