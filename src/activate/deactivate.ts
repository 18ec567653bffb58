import { dirname } from 'node:path'
import { daemonId } from '../daemon/identity.js'
import { findProjectConfig } from './find.js'
import { teardownScript } from './hooks.js'
import { decodeSaved, restoreOriginal, SAVED_VARIABLE } from './saved.js'
import { renderPlan, type Shell } from './shell.js'
import { transition } from './transition.js'

// `fabrik deactivate`: the same transition as leaving a project (every variable back to the user's value, or
// unset — TURBO_* and BAZELRC included, which upstream forgot), then the hook and the wrapper removed.

export function deactivationScript(shell: Shell, env: NodeJS.ProcessEnv): string {
  return renderPlan(shell, transition(env, decodeSaved(env[SAVED_VARIABLE]), undefined)) + teardownScript(shell)
}

/** The daemon of the active project, else of the fabrik.toml above `cwd`. */
export async function activeDaemonId(env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  const saved = decodeSaved(env[SAVED_VARIABLE])
  if (saved?.id) return saved.id
  const config = findProjectConfig(cwd)
  if (!config) return undefined
  const { loadConfig } = await import('../config/load.js')
  const loaded = await loadConfig({ cwd: dirname(config), configPath: config, env: restoreOriginal(env, saved), flags: {} })
  return daemonId(loaded.config)
}
