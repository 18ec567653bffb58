import { join } from 'node:path'
import type { LoadedConfig } from '../config/types.js'
import { contentHash } from '../daemon/identity.js'
import { ensureDaemon } from '../daemon/start.js'
import { envKey, writeProjectRecord, type ProjectRecord } from './cache.js'
import { syncProjectBazelrc } from './project-bazelrc.js'

// The slow path shared by the shell hook (first `cd` into a project, its fabrik.toml changed, or its daemon was
// restarted), `fabrik exec` and `fabrik daemon start`: make sure the project's daemon runs, record what the fast
// path needs, and write this project's own wiring — its .fabrik/bazelrc (a plain `bazel build` reads it through
// the workspace .bazelrc's try-import) and the Gradle init script. Written for every project that is activated,
// not only the one that started the daemon: several projects can share one daemon.

export interface Ensured {
  record: ProjectRecord
  started: boolean
  /** Problems that do not stop activation (e.g. the Gradle user home is not writable). */
  warnings: string[]
}

export async function ensureActivation(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<Ensured> {
  const info = await ensureDaemon(loaded, { env })
  const record: ProjectRecord = {
    id: info.id,
    pid: info.pid,
    http_url: info.http_url,
    grpc_url: info.grpc_url,
    ...(info.unix_socket ? { unix_socket: info.unix_socket } : {}),
    state_dir: info.state_dir,
    enabled: [...loaded.config.build_systems.enabled],
    config: loaded.path ?? '',
    hash: contentHash(loaded.bytes),
    env: envKey(env),
  }
  const warnings: string[] = []
  // A record stands for "this file, in this environment, names this daemon": not when --config-* flags applied.
  if (loaded.path && !Object.values(loaded.sources).includes('flag')) {
    try {
      writeProjectRecord(record, env)
    } catch (err) {
      warnings.push(`could not record the activation: ${(err as Error).message}`)
    }
  }
  warnings.push(...(await writeProjectWiring(loaded, record, env)))
  return { record, started: info.started, warnings }
}

/** This project's files that point tools at the daemon; returns warnings for the ones that could not be written. */
export async function writeProjectWiring(
  loaded: Pick<LoadedConfig, 'path' | 'baseDir'>,
  record: Pick<ProjectRecord, 'enabled' | 'grpc_url'>,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const warnings: string[] = []
  if (record.enabled.includes('bazel') && loaded.path) {
    try {
      syncProjectBazelrc(loaded.baseDir, record.grpc_url)
    } catch (err) {
      warnings.push(`could not write ${join(loaded.baseDir, '.fabrik', 'bazelrc')}: ${(err as Error).message}`)
    }
  }
  if (record.enabled.includes('gradle')) {
    const { installGradleInitScript } = await import('../wiring/gradle.js')
    try {
      installGradleInitScript(env, { replace: false })
    } catch (err) {
      warnings.push(`could not install the Gradle init script: ${(err as Error).message}`)
    }
  }
  return warnings
}
