import type { LoadedConfig } from '../config/types.js'
import { ensureDaemon } from '../daemon/start.js'
import { writeActivation, type ActivationRecord } from './cache.js'

// The slow path shared by the shell hook (first `cd` into a project, or its daemon was restarted) and
// `fabrik exec`: make sure the project's daemon runs, record what the fast path needs, and install the
// Gradle init script when Gradle is enabled (stock Gradle reads no variable; the script reads one).

export interface Ensured {
  record: ActivationRecord
  started: boolean
  /** Problems that do not stop activation (e.g. the Gradle user home is not writable). */
  warnings: string[]
}

export async function ensureActivation(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<Ensured> {
  const info = await ensureDaemon(loaded, { env })
  const record: ActivationRecord = {
    id: info.id,
    pid: info.pid,
    http_url: info.http_url,
    grpc_url: info.grpc_url,
    ...(info.unix_socket ? { unix_socket: info.unix_socket } : {}),
    state_dir: info.state_dir,
    enabled: [...loaded.config.build_systems.enabled],
    config: loaded.path ?? '',
  }
  const warnings: string[] = []
  try {
    writeActivation(info.state_dir, record)
  } catch (err) {
    warnings.push(`could not record the activation in ${info.state_dir}: ${(err as Error).message}`)
  }
  if (record.enabled.includes('gradle')) {
    const { installGradleInitScript } = await import('../wiring/gradle.js')
    try {
      installGradleInitScript(env, { replace: false })
    } catch (err) {
      warnings.push(`could not install the Gradle init script: ${(err as Error).message}`)
    }
  }
  return { record, started: info.started, warnings }
}
