import { statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

// Activation is per project: only a fabrik.toml found by walking up from the directory counts. The user-wide
// config and FABRIK_CONFIG, which other commands fall back to, do not activate a shell in every directory.
// Synchronous stat calls: this runs on every `cd` and is cheaper than the promise machinery.

export const PROJECT_CONFIG = 'fabrik.toml'

export function findProjectConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, PROJECT_CONFIG)
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here; keep walking up
    }
    if (dirname(dir) === dir) return undefined
  }
}
