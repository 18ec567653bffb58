import { FabrikError } from '../errors/registry.js'
import type { LoadedConfig } from './types.js'

export interface LoadOptions {
  cwd: string
  configPath?: string
  env: NodeJS.ProcessEnv
  flags: Record<string, string>
}

export async function loadConfig(_options: LoadOptions): Promise<LoadedConfig> {
  throw new FabrikError('INTERNAL', 'config loading is being written')
}
