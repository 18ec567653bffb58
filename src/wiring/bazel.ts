import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { writeAtomic } from '../daemon/state.js'

// Bazel before 9 reads no BAZELRC variable, so a plain `bazel build` reaches the daemon through the workspace
// .bazelrc: `fabrik init` adds one `try-import` line pointing at <project>/.fabrik/bazelrc, a file the daemon
// rewrites on every start (src/daemon/bazelrc.ts). The path is stable — the daemon's state dir is not, because
// it is keyed by the config file's hash — and try-import is silent while the file does not exist yet.

/** Where the daemon keeps the project's copy of its bazelrc, relative to the folder holding fabrik.toml. */
export const PROJECT_BAZELRC = join('.fabrik', 'bazelrc')

const WORKSPACE_FILES = ['MODULE.bazel', 'WORKSPACE.bazel', 'WORKSPACE']

export function isBazelWorkspace(dir: string): boolean {
  return WORKSPACE_FILES.some((f) => {
    try {
      return statSync(join(dir, f)).isFile()
    } catch {
      return false
    }
  })
}

/** The nearest Bazel workspace root at or above `start`, if any. */
export function findBazelWorkspace(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isBazelWorkspace(dir)) return dir
    if (dirname(dir) === dir) return undefined
  }
}

/** `try-import %workspace%/<path to the project's .fabrik/bazelrc>`, relative so the .bazelrc can be committed. */
export function tryImportLine(workspaceDir: string, projectDir: string): string {
  const rel = relative(resolve(workspaceDir), join(resolve(projectDir), PROJECT_BAZELRC)).split(sep).join('/')
  return `try-import %workspace%/${rel}`
}

const COMMENT = '# Fabrik: the local daemon as remote cache (added by `fabrik init`; the daemon writes the imported file)'

export function hasTryImport(workspaceDir: string, projectDir: string): boolean {
  const path = join(workspaceDir, '.bazelrc')
  if (!existsSync(path)) return false
  const line = tryImportLine(workspaceDir, projectDir)
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .some((l) => l.trim() === line)
}

/** Appends the try-import line to <workspace>/.bazelrc unless present; returns whether the file changed. */
export function addTryImport(workspaceDir: string, projectDir: string): boolean {
  if (hasTryImport(workspaceDir, projectDir)) return false
  const path = join(workspaceDir, '.bazelrc')
  const before = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const separator = before === '' || before.endsWith('\n') ? '' : '\n'
  const gap = before === '' ? '' : '\n'
  writeAtomic(path, `${before}${separator}${gap}${COMMENT}\n${tryImportLine(workspaceDir, projectDir)}\n`)
  return true
}
