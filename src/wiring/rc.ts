import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { rcLine } from '../activate/hooks.js'
import type { Shell } from '../activate/shell.js'
import { writeAtomic } from '../daemon/state.js'

// The one line a user adds to their shell's rc file (docs/shell-activation.md). `fabrik doctor` looks for it
// and `doctor --fix` appends it.

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir()
}

/** ~/.bashrc, ${ZDOTDIR:-~}/.zshrc, ${XDG_CONFIG_HOME:-~/.config}/fish/config.fish. */
export function rcFile(shell: Shell, env: NodeJS.ProcessEnv = process.env): string {
  switch (shell) {
    case 'bash':
      return join(home(env), '.bashrc')
    case 'zsh':
      return join(env.ZDOTDIR || home(env), '.zshrc')
    case 'fish':
      return join(env.XDG_CONFIG_HOME || join(home(env), '.config'), 'fish', 'config.fish')
  }
}

/** Whether the rc file runs `fabrik activate <shell>` on a line that is not commented out. */
export function hasHookLine(shell: Shell, env: NodeJS.ProcessEnv = process.env): boolean {
  const path = rcFile(shell, env)
  if (!existsSync(path)) return false
  const pattern = new RegExp(`^[^#]*fabrik\\s+activate\\s+${shell}\\b`)
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .some((l) => pattern.test(l))
}

/** Appends the hook line unless present; returns whether the file changed. */
export function addHookLine(shell: Shell, env: NodeJS.ProcessEnv = process.env): boolean {
  if (hasHookLine(shell, env)) return false
  const path = rcFile(shell, env)
  mkdirSync(dirname(path), { recursive: true })
  const before = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const separator = before === '' || before.endsWith('\n') ? '' : '\n'
  writeAtomic(path, `${before}${separator}\n# Fabrik: point build tools at the project's cache daemon on cd\n${rcLine(shell)}\n`)
  return true
}
