import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

// Two ways to ask the kernel about a process. /proc/<pid>/stat (Linux) is a file read and names the process
// exactly (state and start time); `ps -o stat= -p PID` is a fork+exec, but POSIX ps answers the state on systems
// without /proc (macOS, the BSDs), where a zombie would otherwise pass for alive: `kill -0` succeeds on one.

export interface ProcStat {
  /** R, S, D, Z, T, ... */
  state: string
  /** Clock ticks after boot at which the process started (Linux only). With the pid, it names one process. */
  startTime?: string
}

/** undefined: no such process. null: this probe cannot tell on this system. */
export type ProcessProbe = (pid: number) => ProcStat | undefined | null

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

export const procProbe: ProcessProbe = (pid) => {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch (err) {
    // No such process (ENOENT), or no /proc at all (macOS): null means "cannot tell".
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' && hasProc() ? undefined : null
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and ')'. Start time is field 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const state = fields[0]
  const startTime = fields[19]
  return state && startTime ? { state, startTime } : null
}

export const psProbe: ProcessProbe = (pid) => {
  let out: string
  try {
    out = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 })
  } catch (err) {
    // ps exits 1 with no output when no process has that pid; no ps at all (ENOENT) or a timeout cannot tell.
    const e = err as { status?: number | null; stdout?: string }
    return e.status === 1 && !e.stdout?.trim() ? undefined : null
  }
  // STAT is the state letter followed by flags: "Ss", "R+", "Z", "Z+".
  const state = out.trim()[0]
  return state ? { state } : null
}
