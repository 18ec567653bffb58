import { probe } from './probe.js'
import { sameProcess, type DaemonState } from './state.js'

/**
 * Whether the process a state dir names is that daemon — never decided on the pid alone (state.ts). The recorded
 * start time settles it on Linux; otherwise (or for a pid file written without one) the daemon must answer on its
 * recorded HTTP port with that pid.
 */
export async function isDaemon(state: Pick<DaemonState, 'pid' | 'startTime' | 'ports'>): Promise<boolean> {
  const same = sameProcess(state)
  if (same !== undefined) return same
  if (!state.ports) return false
  const answer = await probe(state.ports.http, '/ready')
  return (answer?.body as { pid?: unknown } | undefined)?.pid === state.pid
}
