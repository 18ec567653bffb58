import { mkdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { userDataDir } from '../config/data-dir.js'
import { contentHash } from '../daemon/identity.js'
import { writeAtomic } from '../daemon/state.js'

// Trust, as direnv (`allow`) and mise (`trust`) do it: a fabrik.toml can name upstream URLs that receive the
// build's outputs and turn on P2P, so the shell hook does not act on one the user has not trusted — a freshly
// cloned repository, or a file changed since it was trusted. Trusted files are recorded by absolute path and the
// hash of their bytes in one JSON file in the user's data dir (config/data-dir.ts; ~/.local/share/fabrik/trusted.json
// on Linux, ~/Library/Application Support/fabrik/trusted.json on macOS).
// `fabrik init` trusts what it writes; `fabrik trust` trusts the file found from the cwd. Commands the user types
// act on an untrusted file anyway (they asked), with a one-line note.

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return userDataDir(env)
}

export function trustFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'trusted.json')
}

type TrustDb = Record<string, string>

export function readTrust(env: NodeJS.ProcessEnv = process.env): TrustDb {
  try {
    const db = JSON.parse(readFileSync(trustFile(env), 'utf8')) as unknown
    return db !== null && typeof db === 'object' && !Array.isArray(db) ? (db as TrustDb) : {}
  } catch {
    return {}
  }
}

export type TrustState = 'trusted' | 'untrusted' | 'changed'

export function trustState(configPath: string, hash: string, env: NodeJS.ProcessEnv = process.env): TrustState {
  const known = readTrust(env)[configPath]
  return known === undefined ? 'untrusted' : known === hash ? 'trusted' : 'changed'
}

export function isTrusted(configPath: string, bytes: Buffer, env: NodeJS.ProcessEnv = process.env): boolean {
  return trustState(configPath, contentHash(bytes), env) === 'trusted'
}

function writeTrust(db: TrustDb, env: NodeJS.ProcessEnv): void {
  const file = trustFile(env)
  mkdirSync(dirname(file), { recursive: true })
  writeAtomic(file, `${JSON.stringify(db, null, 2)}\n`)
}

/** Records the file's current bytes as trusted; returns whether that changed anything. */
export function trust(configPath: string, bytes: Buffer, env: NodeJS.ProcessEnv = process.env): boolean {
  const db = readTrust(env)
  const hash = contentHash(bytes)
  if (db[configPath] === hash) return false
  db[configPath] = hash
  writeTrust(db, env)
  return true
}

export function untrust(configPath: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const db = readTrust(env)
  if (!(configPath in db)) return false
  delete db[configPath]
  writeTrust(db, env)
  return true
}

/** The one line the hook (and typed commands) print about an untrusted file. */
export function untrustedLine(configPath: string, state: TrustState): string {
  const what = state === 'changed' ? 'has changed since you trusted it' : 'is not trusted yet'
  return `fabrik: ${configPath} ${what}; review it, then run \`fabrik trust\` to activate it`
}

/** The one line a typed command prints when it acts on a project file the user has not trusted. */
export function untrustedNote(loaded: { path?: string; bytes: Buffer }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!loaded.path || basename(loaded.path) !== 'fabrik.toml') return undefined
  const state = trustState(loaded.path, contentHash(loaded.bytes), env)
  if (state === 'trusted') return undefined
  const what = state === 'changed' ? 'has changed since you trusted it' : 'is not trusted yet'
  return `fabrik: note: ${loaded.path} ${what}; used because you asked (\`fabrik trust\` lets the shell hook use it too)`
}
