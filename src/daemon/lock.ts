import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { isAlive } from './state.js'

// The start lock (as nx's daemon does it): created with O_EXCL holding the starter's pid, so two concurrent
// `fabrik daemon start` (two shells cd-ing into the project at once) spawn one daemon. A lock whose pid is dead
// was left by a crashed starter and is taken over.

export function tryLock(path: string, pid = process.pid): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, `${pid}\n`)
      closeSync(fd)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      let holder: number | undefined
      try {
        holder = Number.parseInt(readFileSync(path, 'utf8'), 10)
      } catch {
        holder = undefined
      }
      if (isAlive(holder) && holder !== pid) return false
      rmSync(path, { force: true })
    }
  }
  return false
}

export function unlock(path: string): void {
  rmSync(path, { force: true })
}
