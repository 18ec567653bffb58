import { procProbe, psProbe, type ProcessProbe } from './process-probe.js'

// What the kernel says about a process, for the two questions a pid alone cannot answer: is it still running
// (a killed process its parent has not reaped yet is a zombie: signal 0 succeeds, but it serves nothing and holds
// nothing), and is it still the same process (pids are reused: after a crash or reboot the pid in a pid file may
// belong to anything). Linux answers both from /proc/<pid>/stat; without /proc, ps answers the first.

/** Asked in order; the first that can tell answers. ps runs only where /proc cannot tell. */
export const LIVENESS_PROBES: readonly ProcessProbe[] = [procProbe, psProbe]

/**
 * True when `pid` names a running process (a zombie does not count). EPERM: it exists, run by another user.
 * `probes` is for tests, which exercise the ps fallback on a system that has /proc.
 */
export function isAlive(pid: number | undefined, probes: readonly ProcessProbe[] = LIVENESS_PROBES): boolean {
  if (!pid || !Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  for (const probe of probes) {
    const stat = probe(pid)
    if (stat === undefined) return false
    if (stat !== null) return stat.state !== 'Z'
  }
  // Signal 0 reached it and nothing can say more: count it as alive.
  return true
}

/** The process's start time as the kernel records it, or undefined when it is gone or this system cannot tell. */
export function startTimeOf(pid: number): string | undefined {
  const stat = procProbe(pid)
  return stat && stat.state !== 'Z' ? stat.startTime : undefined
}
