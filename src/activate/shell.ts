import type { Plan } from './transition.js'

// Each shell gets its own syntax (upstream printed bash syntax for fish). Values are single-quoted: nothing
// inside single quotes is expanded in bash/zsh, and fish only treats \\ and \' specially there.

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

export function isShell(name: string | undefined): name is Shell {
  return (SHELLS as readonly string[]).includes(name ?? '')
}

/** --shell if given, else the login shell's name ($SHELL), else bash. */
export function detectShell(flag: string | undefined, env: NodeJS.ProcessEnv): Shell {
  if (isShell(flag)) return flag
  const base = (env.SHELL ?? '').split('/').pop()
  return isShell(base) ? base : 'bash'
}

export function quote(shell: Shell, value: string): string {
  if (shell === 'fish') return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`
  return `'${value.replace(/'/g, `'\\''`)}'`
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

export function exportLine(shell: Shell, name: string, value: string): string {
  if (!NAME_RE.test(name)) throw new Error(`not a variable name: ${name}`)
  return shell === 'fish' ? `set -gx ${name} ${quote(shell, value)}` : `export ${name}=${quote(shell, value)}`
}

export function unsetLine(shell: Shell, name: string): string {
  if (!NAME_RE.test(name)) throw new Error(`not a variable name: ${name}`)
  return shell === 'fish' ? `set -e ${name}` : `unset ${name}`
}

/** The plan as lines for the shell to evaluate; empty when nothing changes. */
export function renderPlan(shell: Shell, plan: Plan): string {
  const lines = [
    ...plan.unsets.map((name) => unsetLine(shell, name)),
    ...Object.entries(plan.exports).map(([name, value]) => exportLine(shell, name, value)),
  ]
  return lines.length ? `${lines.join('\n')}\n` : ''
}
