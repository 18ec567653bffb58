import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { isAlive, startTimeOf } from '../io/process.js'

export { isAlive } from '../io/process.js'

// The files a daemon keeps in its state dir, with upstream's names: pid, ports.json, config_path.txt, bazelrc,
// plus daemon.log and the start lock. Writes go through a temp file + rename so a reader never sees half a file.
// Everything here is private to the user (folder 0700, files 0600): the log names projects and cache keys.
//
// The pid file holds the pid and, on a second line, the process's start time (/proc/<pid>/stat), because a pid
// alone never identifies the daemon: after a kill -9, an OOM kill or a reboot the file stays, and its pid may
// since have been given to any other process. stop and status both check the pair (verify.ts). Upstream's
// readers take the first line only, which is still the pid.

export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

export interface Ports {
  http: number
  grpc: number
  metrics: number
  unix_socket?: string
}

export interface DaemonState {
  id: string
  dir: string
  pid?: number
  /** The start time recorded with the pid; undefined in a pid file written without one (or off Linux). */
  startTime?: string
  ports?: Ports
  configPath?: string
}

export const files = {
  pid: (dir: string) => join(dir, 'pid'),
  ports: (dir: string) => join(dir, 'ports.json'),
  configPath: (dir: string) => join(dir, 'config_path.txt'),
  bazelrc: (dir: string) => join(dir, 'bazelrc'),
  log: (dir: string) => join(dir, 'daemon.log'),
  lock: (dir: string) => join(dir, 'start.lock'),
}

/** `mode` applies to a new file: state files pass FILE_MODE; project files (wiring) keep the user's umask. */
export function writeAtomic(path: string, data: string, mode?: number): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, data, mode === undefined ? undefined : { mode })
  renameSync(tmp, path)
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

export function readState(id: string, dir: string): DaemonState {
  const pidText = readOptional(files.pid(dir))
  const portsText = readOptional(files.ports(dir))
  let ports: Ports | undefined
  try {
    ports = portsText ? (JSON.parse(portsText) as Ports) : undefined
  } catch {
    ports = undefined
  }
  const [pidLine, startLine] = (pidText ?? '').split('\n')
  const pid = pidLine ? Number.parseInt(pidLine, 10) : undefined
  const startTime = startLine?.trim() || undefined
  return {
    id,
    dir,
    pid: pid !== undefined && Number.isFinite(pid) ? pid : undefined,
    ...(startTime ? { startTime } : {}),
    ports,
    configPath: readOptional(files.configPath(dir))?.trim() || undefined,
  }
}

/** Creates the state dir (0700) if missing. */
export function makeStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE })
}

export function writeRunning(dir: string, pid: number, ports: Ports, configPath: string | undefined, startTime = startTimeOf(pid)): void {
  makeStateDir(dir)
  writeAtomic(files.configPath(dir), `${configPath ?? ''}\n`, FILE_MODE)
  writeAtomic(files.ports(dir), `${JSON.stringify(ports)}\n`, FILE_MODE)
  // pid last: its presence (with a live process) is what marks the daemon as running.
  writeAtomic(files.pid(dir), `${pid}\n${startTime ?? ''}\n`, FILE_MODE)
}

/** Removes what marks a daemon as running; the log and bazelrc stay for inspection and for Bazel's try-import. */
export function clearRunning(dir: string): void {
  for (const f of [files.pid(dir), files.ports(dir)]) rmSync(f, { force: true })
}

/**
 * Whether the state's pid is still the process that wrote it: true or false when the start times can be compared,
 * undefined when they cannot (a pid file without one, or no /proc) — the caller then asks the daemon itself.
 */
export function sameProcess(state: Pick<DaemonState, 'pid' | 'startTime'>): boolean | undefined {
  if (!isAlive(state.pid)) return false
  if (state.startTime === undefined) return undefined
  const now = startTimeOf(state.pid as number)
  return now === undefined ? undefined : now === state.startTime
}

export function listStateIds(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^[0-9a-f]{16}$/.test(d.name))
      .map((d) => d.name)
  } catch {
    return []
  }
}
