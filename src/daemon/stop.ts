import { setTimeout as sleep } from 'node:timers/promises'
import { clearRunning, isAlive, readState, sameProcess } from './state.js'
import { isDaemon } from './verify.js'

/**
 * SIGTERM (the daemon drains in-flight requests), then SIGKILL after `graceMs`. Returns whether one was running.
 * Only a process proven to be the daemon is signalled (verify.ts): a pid file whose pid now names another process
 * is stale, and is cleared exactly as `daemon status` would report it — not running.
 */
export async function stopDaemon(id: string, dir: string, graceMs = 35_000): Promise<{ stopped: boolean; pid?: number }> {
  const state = readState(id, dir)
  const { pid } = state
  if (!pid || !(await isDaemon(state))) {
    clearRunning(dir)
    return { stopped: false }
  }
  // Between the check and each signal the pid cannot be reused while the daemon is alive; once it is gone, the
  // start time recorded with it tells a new holder of the pid apart (where /proc exists).
  const still = () => isAlive(pid) && sameProcess(state) !== false
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (still() && Date.now() < deadline) await sleep(25)
  if (still()) process.kill(pid, 'SIGKILL')
  while (still()) await sleep(10)
  // Dead, perhaps still a zombie until its parent (init, the daemon being detached) reaps it: give that a moment,
  // so a `kill -0` right after stop already finds no process.
  for (const end = Date.now() + 2000; signalable(pid) && Date.now() < end; ) await sleep(10)
  clearRunning(dir)
  return { stopped: true, pid }
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
