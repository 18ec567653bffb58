import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { contentHash, stateRoot } from '../daemon/identity.js'
import { quote, type Shell } from './shell.js'

// How the hook follows changes without running a process on an idle prompt. Each hook-env run tells the shell
// which files to watch: `present` files (fabrik.toml, the daemon's pid file) must still exist and not be newer
// than a stamp file; `absent` files (a fabrik.toml not created yet, the pid file of a stopped daemon, the trust
// file) must still not exist. The hook compares with the shell's own `-e` and `-nt` tests (bash, zsh and fish
// compare modification times to the nanosecond) and runs `fabrik hook-env --watch` only when one fails: after
// `fabrik daemon start|stop|restart`, an edit of fabrik.toml, `fabrik trust` or `fabrik init`.
//
// The stamp's mtime is set just above the newest mtime of the present files as seen now, so a later write,
// which gets a later mtime, is newer than the stamp. Stamps are named after what they stand for, so shells in
// the same state share one; ones unused for a week are removed.

export interface Watch {
  present: string[]
  absent: string[]
}

const STALE_MS = 7 * 24 * 3600 * 1000

function stampsDir(env: NodeJS.ProcessEnv): string {
  return join(stateRoot(env), 'stamps')
}

/** Creates (or reuses) the stamp for these files; undefined when nothing is present to compare. */
export function makeStamp(watch: Watch, env: NodeJS.ProcessEnv): string | undefined {
  const mtimes: bigint[] = []
  const present: string[] = []
  for (const f of watch.present) {
    try {
      mtimes.push(statSync(f, { bigint: true }).mtimeNs)
      present.push(f)
    } catch {
      // gone already: the hook's -e test catches it on the next prompt
    }
  }
  if (mtimes.length === 0) return undefined
  const newest = mtimes.reduce((a, b) => (a > b ? a : b))
  const dir = stampsDir(env)
  const stamp = join(dir, contentHash(`${present.join('\n')}\n${newest}`))
  // 5 µs above the newest: utimes takes seconds as a double, good to about half a microsecond here.
  const seconds = Number(newest + 5_000n) / 1e9
  try {
    utimesSync(stamp, seconds, seconds)
  } catch {
    mkdirSync(dir, { recursive: true })
    writeFileSync(stamp, '')
    utimesSync(stamp, seconds, seconds)
    sweep(dir)
  }
  return stamp
}

function sweep(dir: string): void {
  const now = Date.now()
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      try {
        if (now - statSync(path).atimeMs > STALE_MS && now - statSync(path).ctimeMs > STALE_MS) rmSync(path, { force: true })
      } catch {
        // removed meanwhile
      }
    }
  } catch {
    // no stamps dir
  }
}

/** Every place a fabrik.toml could appear that would apply to `cwd` (the cwd and each folder above it). */
export function candidateConfigs(cwd: string, name: string): string[] {
  const out: string[] = []
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    out.push(join(dir, name))
    if (dirname(dir) === dir) return out
  }
}

/** Shell code that sets the watch lists and the stamp (plain shell variables, not exported). */
export function renderWatch(shell: Shell, watch: Watch, stamp: string | undefined): string {
  const present = stamp === undefined ? [] : watch.present
  const list = (xs: string[]) => xs.map((x) => quote(shell, x)).join(' ')
  if (shell === 'fish') {
    return [
      `set -g __fabrik_stamp ${quote(shell, stamp ?? '')}`,
      `set -g __fabrik_present ${list(present)}`,
      `set -g __fabrik_absent ${list(watch.absent)}`,
      '',
    ].join('\n')
  }
  const g = shell === 'zsh' ? 'typeset -g ' : ''
  const ga = shell === 'zsh' ? 'typeset -ga ' : ''
  return [`${g}__fabrik_stamp=${quote(shell, stamp ?? '')}`, `${ga}__fabrik_present=(${list(present)})`, `${ga}__fabrik_absent=(${list(watch.absent)})`, ''].join('\n')
}
