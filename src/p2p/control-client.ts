import type { LoadedConfig } from '../config/types.js'
import { FabrikError } from '../errors/registry.js'
import { findRunning } from '../daemon/start.js'
import { CONTROL_HEADER, readControlToken } from './control-token.js'

// What `fabrik p2p list|status|approve|deny|clear` use: the running daemon's control endpoints, with the token
// from its state dir. Never a second P2P stack (upstream's `p2p list` started one).

export async function callDaemon<T>(loaded: LoadedConfig, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const daemon = await findRunning(loaded)
  if (!daemon) throw new FabrikError('DAEMON_NOT_RUNNING', `no daemon is running for ${loaded.path ?? 'the user-wide config'}`)
  const token = readControlToken(daemon.state_dir)
  if (!token) throw new FabrikError('UNAVAILABLE', 'P2P is not enabled in the running daemon (no control token in its state dir)', { fix: 'Set [p2p] enabled = true and a secret in fabrik.toml, then restart the daemon (`fabrik daemon stop`, `fabrik daemon start`).' })
  const res = await fetch(`${daemon.http_url}/_fabrik/p2p/${path}`, {
    method,
    headers: { [CONTROL_HEADER]: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const data = (await res.json().catch(() => ({}))) as { code?: string; message?: string }
  if (res.status === 404) throw new FabrikError('UNAVAILABLE', 'P2P is not enabled in the running daemon', { fix: 'Set [p2p] enabled = true and a secret in fabrik.toml, then restart the daemon.' })
  if (!res.ok) throw new FabrikError(res.status === 400 ? 'USAGE' : 'UNAVAILABLE', data.message ?? `the daemon answered ${res.status}`)
  return data as T
}
