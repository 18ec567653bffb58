import { existsSync, readFileSync, rmSync, rmdirSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LoadedConfig } from '../config/types.js'
import { FabrikError } from '../errors/registry.js'
import { daemonId, stateDir } from './identity.js'
import { describe, type DaemonInfo } from './info.js'
import { tryLock, unlock } from './lock.js'
import { probe } from './probe.js'
import { handOver, spawnDaemon } from './spawn.js'
import { clearRunning, files, isAlive, makeStateDir, readState } from './state.js'
import { isDaemon } from './verify.js'

// How often a starter looks for the daemon's pid file. The daemon needs a few hundred ms; a short interval keeps
// the wait after it is ready small, and a look is three small file reads.
const POLL_MS = 10

export interface StartOptions {
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

/** The running daemon for this config, if its pid is alive and it answers /ready. */
export async function findRunning(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): Promise<DaemonInfo | undefined> {
  const id = daemonId(loaded.bytes)
  return runningIn(id, stateDir(id, env))
}

export async function runningIn(id: string, dir: string): Promise<DaemonInfo | undefined> {
  const state = readState(id, dir)
  if (!state.pid || !state.ports || !(await isDaemon(state))) return undefined
  const ready = await probe(state.ports.http, '/ready')
  if (ready?.status !== 200) return undefined
  return describe({ ...state, pid: state.pid, ports: state.ports })
}

/**
 * What a start needs before the config is validated: the config file's bytes (→ the daemon id) and the folder
 * the daemon runs in. `load` parses and validates it; the daemon is spawned while that runs (see startDaemon).
 */
export interface PendingConfig {
  bytes: Buffer
  baseDir: string
  load(): Promise<LoadedConfig>
}

/**
 * Returns the config's running daemon, starting it (detached, logging to its state dir) when there is none.
 * Concurrent callers serialise on the start lock; a lock or state left by a dead process is cleaned up.
 */
export async function ensureDaemon(loaded: LoadedConfig, options: StartOptions = {}): Promise<DaemonInfo & { started: boolean }> {
  return startDaemon({ bytes: loaded.bytes, baseDir: loaded.baseDir, load: async () => loaded }, options)
}

/**
 * ensureDaemon for a config still being validated. The two processes overlap: the daemon boots and loads its
 * server modules (on the other core) while this process parses and validates the config, then receives it on
 * stdin. An invalid config cancels the spawned daemon before it has touched anything, and its error is thrown
 * as loading it would have thrown it — also when a daemon already runs, as before.
 */
export async function startDaemon(pending: PendingConfig, options: StartOptions = {}): Promise<DaemonInfo & { started: boolean }> {
  const env = options.env ?? process.env
  const timeoutMs = options.timeoutMs ?? 20_000
  const id = daemonId(pending.bytes)
  const dir = stateDir(id, env)
  const config = pending.load()
  // Observed here so a rejection while we probe is not "unhandled"; awaited (and thrown) below.
  config.catch(() => undefined)
  const existing = await runningIn(id, dir)
  if (existing) {
    await config
    return { ...existing, started: false }
  }

  const createdDir = !existsSync(dir)
  makeStateDir(dir)
  const deadline = Date.now() + timeoutMs
  while (!tryLock(files.lock(dir))) {
    // Another starter holds the lock: wait for its daemon instead of spawning a second one.
    const info = await runningIn(id, dir)
    if (info) {
      await config
      return { ...info, started: false }
    }
    if (Date.now() > deadline) throw startFailure(dir, 'another `fabrik daemon start` holds the start lock')
    await sleep(POLL_MS)
  }
  let loaded: LoadedConfig
  try {
    const raced = await runningIn(id, dir)
    if (raced) {
      await config
      return { ...raced, started: false }
    }
    clearRunning(dir)
    const child = spawnDaemon(pending.baseDir, dir, env)
    try {
      loaded = await config
    } catch (err) {
      handOver(child, undefined)
      if (createdDir) removeIfUnused(dir)
      throw err
    }
    if (loaded.bytes.equals(pending.bytes) && loaded.baseDir === pending.baseDir) {
      handOver(child, loaded)
      return await waitReady(id, dir, child.pid as number, deadline, timeoutMs)
    }
    // The file changed between reading its bytes and validating it: this daemon would have the wrong id.
    handOver(child, undefined)
  } finally {
    unlock(files.lock(dir))
  }
  return ensureDaemon(loaded, options)
}

async function waitReady(id: string, dir: string, pid: number, deadline: number, timeoutMs: number): Promise<DaemonInfo & { started: boolean }> {
  while (Date.now() < deadline) {
    // The spawned daemon may find this config's daemon still serving the cache dir (its state dir had been
    // deleted): it then restores that daemon's state files and exits (serve.ts), and that daemon is the answer.
    const exited = !isAlive(pid)
    const state = readState(id, dir)
    if (state.pid !== undefined && state.ports) {
      const info = await runningIn(id, dir)
      if (info) return { ...info, started: info.pid === pid }
    }
    if (exited) throw startFailure(dir, `the daemon process (pid ${pid}) exited during start`)
    await sleep(POLL_MS)
  }
  throw startFailure(dir, `the daemon did not become ready within ${timeoutMs} ms`)
}

/** A cancelled start leaves no trace: an invalid config used to create no state dir, and still does not. */
function removeIfUnused(dir: string): void {
  try {
    if (statSync(files.log(dir)).size === 0) rmSync(files.log(dir))
    unlock(files.lock(dir))
    rmdirSync(dir)
  } catch {
    // Something else lives there (an earlier daemon's log): leave it.
  }
}

function startFailure(dir: string, reason: string): FabrikError {
  const log = files.log(dir)
  let tail: string
  try {
    tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-15).join('\n')
  } catch {
    tail = '(no log written)'
  }
  return new FabrikError('DAEMON_START_FAILED', `${reason}.\nLast lines of ${log}:\n${tail}`)
}
