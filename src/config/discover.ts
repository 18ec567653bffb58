import { stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import envPaths from 'env-paths'
import { FabrikError } from '../errors/registry.js'

// Which fabrik.toml applies: --config / FABRIK_CONFIG if given; else the nearest fabrik.toml walking up from the
// working directory (so any subfolder of a project shares the project's daemon); else the user-wide file.

export const CONFIG_FILE_NAME = 'fabrik.toml'

export type ConfigOrigin = 'explicit' | 'project' | 'user'

export interface FoundConfig {
  path: string
  origin: ConfigOrigin
}

/** The user-wide fallback: <env-paths config dir>/config.toml (~/.config/fabrik/config.toml on Linux). */
export function userConfigPath(): string {
  return join(envPaths('fabrik', { suffix: '' }).config, 'config.toml')
}

/** Where a user-wide config keeps its cache when it sets no [cache] dir (~/.cache/fabrik on Linux). */
export function userCacheDir(): string {
  return envPaths('fabrik', { suffix: '' }).cache
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

export async function discoverConfig(options: {
  cwd: string
  configPath?: string
  env: NodeJS.ProcessEnv
}): Promise<FoundConfig | undefined> {
  const explicit = options.configPath ?? (options.env.FABRIK_CONFIG || undefined)
  if (explicit !== undefined) {
    const path = resolve(options.cwd, explicit)
    if (!(await isFile(path))) {
      throw new FabrikError('CONFIG_NOT_FOUND', `${path}: no such config file`)
    }
    return { path, origin: 'explicit' }
  }
  for (let dir = resolve(options.cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME)
    if (await isFile(candidate)) return { path: candidate, origin: 'project' }
    if (dirname(dir) === dir) break
  }
  const user = userConfigPath()
  return (await isFile(user)) ? { path: user, origin: 'user' } : undefined
}
