import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bazelrcText } from '../daemon/bazelrc.js'
import { writeAtomic } from '../daemon/state.js'
import { PROJECT_BAZELRC } from '../wiring/bazel.js'

// <project>/.fabrik/bazelrc, which the workspace .bazelrc try-imports (wiring/bazel.ts): written by every
// activation (ensure.ts), re-checked by the hook's fast path (hook-env.ts) — `git clean -fdx` deletes it while
// the daemon runs on, and Bazel silently skips a try-import of a missing file — and by `doctor --fix`.

/** The project's bazelrc path, for the folder holding fabrik.toml. */
export function projectBazelrcPath(projectDir: string): string {
  return join(projectDir, PROJECT_BAZELRC)
}

/** Writes <project>/.fabrik/bazelrc for this daemon unless it already says exactly that. Cheap: one small read. */
export function syncProjectBazelrc(projectDir: string, grpcUrl: string): boolean {
  const port = Number(new URL(grpcUrl.replace(/^grpc:/, 'http:')).port)
  const text = bazelrcText({ http: 0, grpc: port, metrics: 0 })
  const path = projectBazelrcPath(projectDir)
  try {
    if (readFileSync(path, 'utf8') === text) return false
  } catch {
    // missing
  }
  const dir = join(projectDir, '.fabrik')
  mkdirSync(dir, { recursive: true })
  // .fabrik/ holds machine-local state (cache, bazelrc): keep it out of version control even without `fabrik init`.
  if (!existsSync(join(dir, '.gitignore'))) writeFileSync(join(dir, '.gitignore'), '*\n')
  writeAtomic(path, text)
  return true
}
