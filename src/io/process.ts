import { readFileSync } from 'node:fs'

// What the kernel says about a process, for the two questions a pid alone cannot answer: is it still running
// (a killed process its parent has not reaped yet is a zombie: signal 0 succeeds, but it serves nothing and holds
// nothing), and is it still the same process (pids are reused: after a crash or reboot the pid in a pid file may
// belong to anything). Linux answers both from /proc/<pid>/stat; elsewhere only liveness is known.

interface ProcStat {
  /** R, S, D, Z, T, ... */
  state: string
  /** Field 22: clock ticks after boot at which the process started. With the pid, it names one process. */
  startTime: string
}

function procStat(pid: number): ProcStat | undefined | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch (err) {
    // No such process (ENOENT), or no /proc at all (macOS): null means "cannot tell".
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' && hasProc() ? undefined : null
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const state = fields[0]
  const startTime = fields[19]
  return state && startTime ? { state, startTime } : null
}

let procMounted: boolean | undefined
function hasProc(): boolean {
  if (procMounted === undefined) {
    try {
      readFileSync('/proc/self/stat')
      procMounted = true
    } catch {
      procMounted = false
    }
  }
  return procMounted
}

/** True when `pid` names a running process (a zombie does not count). EPERM: it exists, run by another user. */
export function isAlive(pid: number | undefined): boolean {
  if (!pid || !Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const stat = procStat(pid)
  if (stat === undefined) return false
  return stat?.state !== 'Z'
}

/** The process's start time as the kernel records it, or undefined when it is gone or this system cannot tell. */
export function startTimeOf(pid: number): string | undefined {
  const stat = procStat(pid)
  return stat && stat.state !== 'Z' ? stat.startTime : undefined
}
