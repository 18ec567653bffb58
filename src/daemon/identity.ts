import { createHash } from 'node:crypto'
import { join } from 'node:path'
import envPaths from 'env-paths'

// Upstream's scheme: one daemon per config, identified by the first 16 hex characters of the SHA-256 of the
// config file's bytes. With no file (the user-wide default daemon) the bytes are empty, which gives a stable id.
export function daemonId(configBytes: Buffer): string {
  return createHash('sha256').update(configBytes).digest('hex').slice(0, 16)
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
