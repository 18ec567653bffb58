import type { FabrikConfig } from '../config/types.js'
import { FabrikError } from '../errors/registry.js'
import { stateDir, stateRoot } from './identity.js'
import { isAlive, listStateIds, readState } from './state.js'

// A configured port that is taken is the user's to resolve, not a bug: say which port, which setting asked for
// it, who holds it when that is another Fabrik daemon, and how to pick another.

function isAddrInUse(err: unknown): boolean {
  for (let e = err as (Error & { code?: string; cause?: unknown }) | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'EADDRINUSE' || /EADDRINUSE|address already in use/i.test(e.message ?? '')) return true
  }
  return false
}

/** The Fabrik daemon (of this user) listening on `port`, if any. */
export function fabrikDaemonOn(port: number, env: NodeJS.ProcessEnv = process.env): { id: string; pid: number; config?: string } | undefined {
  for (const id of listStateIds(stateRoot(env))) {
    const s = readState(id, stateDir(id, env))
    if (s.pid && s.ports && isAlive(s.pid) && (s.ports.http === port || s.ports.grpc === port)) {
      return { id, pid: s.pid, ...(s.configPath ? { config: s.configPath } : {}) }
    }
  }
  return undefined
}

/** A PORT_IN_USE error for a failed listen, or undefined when `err` is something else. */
export function busyPortError(err: unknown, config: FabrikConfig, env: NodeJS.ProcessEnv = process.env): FabrikError | undefined {
  if (!isAddrInUse(err)) return undefined
  const text = `${(err as Error).message} ${String((err as { cause?: Error }).cause?.message ?? '')}`
  const grpc = /gRPC/.test(text)
  const port = grpc ? config.daemon.grpc_port : config.daemon.http_port
  const key = grpc ? 'grpc_port' : 'http_port'
  const owner = fabrikDaemonOn(port, env)
  const holder = owner
    ? `another Fabrik daemon holds it: ${owner.id} (pid ${owner.pid}${owner.config ? `, ${owner.config}` : ''})`
    : 'another program holds it (`ss -ltnp` shows which)'
  const stop = owner ? `stop that daemon (\`fabrik daemon stop\` in its project, or \`fabrik daemon stop --all\`), or ` : ''
  return new FabrikError('PORT_IN_USE', `port ${port} on 127.0.0.1 ([daemon] ${key}) is already in use: ${holder}`, {
    cause: err,
    fix: `${stop}pick another port: set [daemon] ${key} = 0 (any free port) or a free number in fabrik.toml, or pass --config-${key.replace('_', '-')} / FABRIK_CONFIG_${key.toUpperCase()}.`,
  })
}
