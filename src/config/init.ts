import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { FabrikError } from '../errors/registry.js'
import { CONFIG_FILE_NAME } from './discover.js'
import { initTemplate } from './templates.js'

/** Writes <dir>/fabrik.toml; refuses (CONFIG_EXISTS) to replace one unless `force`. Returns the path. */
export async function writeInitFile(options: { dir: string; force: boolean }): Promise<string> {
  const path = join(resolve(options.dir), CONFIG_FILE_NAME)
  try {
    // 'wx' fails atomically if the file appeared in between: no check-then-write race.
    await writeFile(path, initTemplate(), { flag: options.force ? 'w' : 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new FabrikError('CONFIG_EXISTS', `${path} already exists`)
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FabrikError('CONFIG_NOT_FOUND', `${resolve(options.dir)}: no such directory`)
    }
    throw new FabrikError('STORE_IO', `${path}: cannot be written (${(err as Error).message})`, {
      cause: err,
      fix: 'Check that the folder is writable.',
    })
  }
  return path
}
