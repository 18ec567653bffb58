import { setTimeout as sleep } from 'node:timers/promises'
import { clearRunning, isAlive, readState } from './state.js'

/** SIGTERM (the daemon drains in-flight requests), then SIGKILL after `graceMs`. Returns whether one was running. */
export async function stopDaemon(id: string, dir: string, graceMs = 35_000): Promise<{ stopped: boolean; pid?: number }> {
  const { pid } = readState(id, dir)
  if (!pid || !isAlive(pid)) {
    clearRunning(dir)
    return { stopped: false }
  }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (isAlive(pid) && Date.now() < deadline) await sleep(25)
  if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  while (isAlive(pid)) await sleep(10)
  clearRunning(dir)
  return { stopped: true, pid }
}
