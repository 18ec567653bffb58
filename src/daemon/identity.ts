import { createHash } from 'node:crypto'
import { join } from 'node:path'
import envPaths from 'env-paths'
import type { FabrikConfig } from '../config/types.js'

// A daemon is identified by what it serves: the effective configuration (file, environment and flags merged,
// relative paths resolved against the project's folder), not the file's bytes. `fabrik init` writes the same
// bytes in every project; with `[cache] dir = ".fabrik/cache"` resolved, each project gets its own daemon and
// store, while two projects that point at one store on purpose (e.g. both `dir = "~/.cache/fabrik"` and
// otherwise alike) share one daemon. `[build_systems] enabled` is left out: it decides which variables a
// project's activation exports, not what the daemon serves (it serves every tool's routes).
// The id keeps upstream's shape: 16 hex characters of a SHA-256.

/** JSON with sorted keys, so equal configurations hash alike whatever order their keys were merged in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export function daemonId(config: FabrikConfig): string {
  const { build_systems: _ignored, ...served } = config
  return createHash('sha256').update(canonical(served)).digest('hex').slice(0, 16)
}

/** 16 hex of the SHA-256 of a file's bytes: tells activation's fast path that fabrik.toml has not changed. */
export function contentHash(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16)
}

/** `$FABRIK_STATE_DIR` or `$XDG_STATE_HOME/fabrik/daemons` (env-paths' state dir), as upstream. */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FABRIK_STATE_DIR) return env.FABRIK_STATE_DIR
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'fabrik', 'daemons')
  return join(envPaths('fabrik', { suffix: '' }).log, 'daemons')
}

export function stateDir(id: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateRoot(env), id)
}
