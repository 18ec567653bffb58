import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// The dashboard's per-daemon secret: a fresh random token at every daemon start, in the state dir with mode 0600,
// so only the user who runs the daemon (and `fabrik dashboard`, which reads it) can open the dashboard.

export function tokenPath(stateDir: string): string {
  return join(stateDir, 'dashboard.token')
}

export function writeDashboardToken(stateDir: string): string {
  const token = randomBytes(32).toString('base64url')
  const path = tokenPath(stateDir)
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
  return token
}

export function readDashboardToken(stateDir: string): string | undefined {
  try {
    return readFileSync(tokenPath(stateDir), 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
