import { spawn } from 'node:child_process'
import { constants } from 'node:os'

// Runs the build command as a transparent child: inherited stdio, forwarded SIGINT/SIGTERM/SIGHUP, and the
// child's exit status as ours — its code, or 128 + the signal number when a signal killed it, the convention
// shells use, so CI sees the same status as without Fabrik.
//
// Forwarding note: Ctrl-C in a terminal signals the whole foreground process group, so the child receives SIGINT
// from the terminal and once more from us. Build tools treat a repeated SIGINT as the same request to stop;
// forwarding is what makes `kill -INT <fabrik pid>` (CI runners, process managers) reach the build at all.

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code
  if (signal) return 128 + (constants.signals[signal] ?? 0)
  return 1
}

export interface RunResult {
  status: number
  /** Set when the command could not be started at all (not found, not executable). */
  spawnError?: NodeJS.ErrnoException
}

export function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<RunResult> {
  const [command, ...args] = argv
  if (command === undefined) return Promise.resolve({ status: 64 })
  return new Promise((resolve) => {
    // The handlers go in before the child exists: on a busy machine the child can run and be seen (its first
    // output) before this process runs again, and a SIGINT landing in that gap took Node's default — exit —
    // leaving the build orphaned and still running (seen once in CI). A handler runs on a later tick, by which
    // time `child` below is set.
    const forward = (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    }
    for (const s of FORWARDED) process.on(s, forward)
    const child = spawn(command, args, { stdio: 'inherit', env, cwd })
    const done = (result: RunResult) => {
      for (const s of FORWARDED) process.off(s, forward)
      resolve(result)
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      // As shells report it: 127 for a missing command, 126 for one that cannot be executed.
      done({ status: err.code === 'ENOENT' ? 127 : 126, spawnError: err })
    })
    child.on('exit', (code, signal) => done({ status: exitStatus(code, signal) }))
  })
}
