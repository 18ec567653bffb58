import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'

// The files a daemon keeps in its state dir, with upstream's names: pid, ports.json, config_path.txt, bazelrc,
// plus daemon.log and the start lock. Writes go through a temp file + rename so a reader never sees half a file.

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

export function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, data)
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
  const pid = pidText ? Number.parseInt(pidText, 10) : undefined
  return {
    id,
    dir,
    pid: pid !== undefined && Number.isFinite(pid) ? pid : undefined,
    ports,
    configPath: readOptional(files.configPath(dir))?.trim() || undefined,
  }
}

export function writeRunning(dir: string, pid: number, ports: Ports, configPath: string | undefined): void {
  mkdirSync(dir, { recursive: true })
  writeAtomic(files.configPath(dir), `${configPath ?? ''}\n`)
  writeAtomic(files.ports(dir), `${JSON.stringify(ports)}\n`)
  // pid last: its presence (with a live process) is what marks the daemon as running.
  writeAtomic(files.pid(dir), `${pid}\n`)
}

/** Removes what marks a daemon as running; the log and bazelrc stay for inspection and for Bazel's try-import. */
export function clearRunning(dir: string): void {
  for (const f of [files.pid(dir), files.ports(dir)]) rmSync(f, { force: true })
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
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
