import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeAtomic } from '../daemon/state.js'

// `.fabrik/` holds machine-local state — the cache, the bazelrc naming this machine's daemon port — which must
// not be committed (and, uncommitted but not ignored, changes turbo's task hashes). `fabrik init` adds it to the
// project folder's .gitignore; `fabrik implode` takes the line out again.

export const GITIGNORE_LINE = '.fabrik/'
const COMMENT = '# Fabrik: local cache and wiring (added by `fabrik init`)'

function lines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split(/\r?\n/) : []
}

export function hasGitignoreLine(projectDir: string): boolean {
  return lines(join(projectDir, '.gitignore')).some((l) => ['.fabrik/', '.fabrik', '/.fabrik/', '/.fabrik'].includes(l.trim()))
}

/** Appends `.fabrik/` to <projectDir>/.gitignore unless it is ignored there already; returns whether it wrote. */
export function addGitignoreLine(projectDir: string): boolean {
  if (hasGitignoreLine(projectDir)) return false
  const path = join(projectDir, '.gitignore')
  const before = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const separator = before === '' || before.endsWith('\n') ? '' : '\n'
  writeAtomic(path, `${before}${separator}${before === '' ? '' : '\n'}${COMMENT}\n${GITIGNORE_LINE}\n`)
  return true
}

/** Removes what addGitignoreLine wrote; deletes the file when nothing else is left in it. Returns whether it changed. */
export function removeGitignoreLine(projectDir: string): 'removed' | 'deleted' | 'unchanged' {
  const path = join(projectDir, '.gitignore')
  if (!existsSync(path)) return 'unchanged'
  const text = readFileSync(path, 'utf8')
  const kept = text.split('\n').filter((l) => l !== COMMENT && l.trim() !== GITIGNORE_LINE)
  const next = kept.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n+$/, '\n')
  if (next === text) return 'unchanged'
  if (next.trim() === '') {
    rmSync(path)
    return 'deleted'
  }
  writeAtomic(path, next.endsWith('\n') ? next : `${next}\n`)
  return 'removed'
}
