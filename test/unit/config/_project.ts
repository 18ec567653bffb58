import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

// Temp folders for config tests. The user-wide fallback is pointed at an empty temp folder (env-paths reads
// XDG_CONFIG_HOME on each call) so a real ~/.config/fabrik/config.toml can never leak into a test.

export interface TempRoot {
  dir: string
  write(rel: string, text: string): Promise<string>
  cleanup(): Promise<void>
}

export async function tempRoot(): Promise<TempRoot> {
  const dir = await mkdtemp(join(tmpdir(), 'fabrik-config-'))
  const previous = process.env.XDG_CONFIG_HOME
  process.env.XDG_CONFIG_HOME = join(dir, 'xdg-config')
  return {
    dir,
    async write(rel, text) {
      const path = join(dir, rel)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, text)
      return path
    },
    async cleanup() {
      if (previous === undefined) delete process.env.XDG_CONFIG_HOME
      else process.env.XDG_CONFIG_HOME = previous
      await rm(dir, { recursive: true, force: true })
    },
  }
}
