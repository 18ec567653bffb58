import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { discoverConfig } from '../config/discover.js'
import { FabrikError } from '../errors/registry.js'

// What `fabrik daemon start` needs to know before the config is parsed: which file applies and its bytes (the
// daemon id derives from them) and the folder the daemon runs in. Discovery is cheap (a few stat calls); the
// parser and schema are not, so the CLI spawns the daemon on this and validates meanwhile (start.ts).
// Mirrors loadConfig's first steps; startDaemon checks that the two agree.

export async function locateConfig(options: { cwd: string; configPath?: string; env: NodeJS.ProcessEnv }): Promise<{ bytes: Buffer; baseDir: string }> {
  const cwd = resolve(options.cwd)
  const found = await discoverConfig({ ...options, cwd })
  if (found === undefined) return { bytes: Buffer.alloc(0), baseDir: cwd }
  try {
    return { bytes: await readFile(found.path), baseDir: dirname(found.path) }
  } catch (err) {
    throw new FabrikError('CONFIG_NOT_FOUND', `${found.path}: cannot be read (${(err as Error).message})`, { cause: err })
  }
}
