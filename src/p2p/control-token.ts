import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// The daemon's control endpoints (/_fabrik/p2p/...) answer only the local user: a request must carry the token
// from the daemon's state dir (mode 0600). "It came from 127.0.0.1" is no proof — any web page can send requests
// to 127.0.0.1 — and a custom header also forces a browser into a CORS preflight, which is never answered.

export const CONTROL_HEADER = 'x-fabrik-control-token'
export const TOKEN_FILE = 'control-token'

/** Writes a fresh token into the state dir (0600) and returns it. */
export function createControlToken(stateDir: string): string {
  const token = randomBytes(32).toString('hex')
  const file = join(stateDir, TOKEN_FILE)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, token + '\n', { mode: 0o600 })
  renameSync(tmp, file)
  return token
}

export function readControlToken(stateDir: string): string | undefined {
  try {
    return readFileSync(join(stateDir, TOKEN_FILE), 'utf8').trim()
  } catch {
    return undefined
  }
}

export function tokenMatches(expected: string, got: unknown): boolean {
  if (typeof got !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(got)
  return a.length === b.length && timingSafeEqual(a, b)
}
