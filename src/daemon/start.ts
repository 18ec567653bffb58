import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LoadedConfig } from '../config/types.js'
import { ERRORS, FabrikError, type ErrorCode } from '../errors/registry.js'
import { ERROR_LINE_PREFIX, handOver, spawnDaemon } from './spawn.js'
import { daemonId, stateDir } from './identity.js'
import { describe, type DaemonInfo } from './info.js'
import { tryLock, unlock } from './lock.js'
import { probe } from './probe.js'
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
  const id = daemonId(loaded.config)
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
 * What a start is given: the config file's bytes and folder (found cheaply, locate.ts) and `load`, which parses
 * and validates it. The daemon id derives from the effective configuration (identity.ts), so the config is
 * loaded before anything is spawned.
 */
export interface PendingConfig {
  bytes: Buffer
  baseDir: string
  load(): Promise<LoadedConfig>
}

export async function startDaemon(pending: PendingConfig, options: StartOptions = {}): Promise<DaemonInfo & { started: boolean }> {
  return ensureDaemon(await pending.load(), options)
}

/**
 * Returns the config's running daemon, starting it (detached, logging to its state dir) when there is none.
 * Concurrent callers serialise on the start lock; a lock or state left by a dead process is cleaned up.
 */
export async function ensureDaemon(loaded: LoadedConfig, options: StartOptions = {}): Promise<DaemonInfo & { started: boolean }> {
  const env = options.env ?? process.env
  const timeoutMs = options.timeoutMs ?? 20_000
  const id = daemonId(loaded.config)
  const dir = stateDir(id, env)
  const existing = await runningIn(id, dir)
  if (existing) return { ...existing, started: false }

  makeStateDir(dir)
  const deadline = Date.now() + timeoutMs
  while (!tryLock(files.lock(dir))) {
    // Another starter holds the lock: wait for its daemon instead of spawning a second one.
    const info = await runningIn(id, dir)
    if (info) return { ...info, started: false }
    if (Date.now() > deadline) throw startFailure(dir, 'another `fabrik daemon start` holds the start lock')
    await sleep(POLL_MS)
  }
  try {
    const raced = await runningIn(id, dir)
    if (raced) return { ...raced, started: false }
    clearRunning(dir)
    const child = spawnDaemon(loaded.baseDir, dir, env)
    handOver(child, loaded)
    return await waitReady(id, dir, child.pid as number, deadline, timeoutMs)
  } finally {
    unlock(files.lock(dir))
  }
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

function startFailure(dir: string, reason: string): FabrikError {
  const log = files.log(dir)
  let tail: string
  try {
    tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-15).join('\n')
  } catch {
    tail = '(no log written)'
  }
  // A daemon that failed for a reason it could name (a busy port, a bad cache dir) said so on its last line.
  const named = tail.split('\n').reverse().find((l) => l.startsWith(ERROR_LINE_PREFIX))
  if (named) {
    try {
      const e = JSON.parse(named.slice(ERROR_LINE_PREFIX.length)) as { code: ErrorCode; message: string; fix: string }
      if (e.code !== 'INTERNAL' && e.code in ERRORS) return new FabrikError(e.code, `${e.message} (log: ${log})`, { fix: e.fix })
    } catch {
      // not ours after all
    }
  }
  return new FabrikError('DAEMON_START_FAILED', `${reason}.\nLast lines of ${log}:\n${tail}`)
}
