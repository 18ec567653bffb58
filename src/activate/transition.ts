import { SAVED_VARIABLE, encodeSaved, restoreOriginal, type SavedState } from './saved.js'

// Moving between directories is a transition from what the shell has now to what the new directory needs:
// into a project, out of one, or from project A to project B. It is computed as a minimal diff so a prompt in
// the same project changes nothing and the shell only evaluates the lines that matter.

export interface Target {
  id: string
  config: string
  hash?: string
  idle?: 'untrusted' | 'stopped'
  /** The variables this project needs (computeVariables(...).set, computed against the original env). */
  vars: Record<string, string>
}

export interface Plan {
  /** name → value to export. */
  exports: Record<string, string>
  /** Names to unset. */
  unsets: string[]
}

export function transition(env: NodeJS.ProcessEnv, saved: SavedState | undefined, target: Target | undefined): Plan {
  const original = restoreOriginal(env, saved)
  const desired = new Map<string, string | undefined>()
  // Whatever the active project exported goes back to the user's value unless the new project sets it again.
  for (const name of Object.keys(saved?.set ?? {})) desired.set(name, original[name])
  let next: SavedState | undefined
  if (target) {
    for (const [name, value] of Object.entries(target.vars)) desired.set(name, value)
    const prev: Record<string, string> = {}
    for (const name of Object.keys(target.vars)) {
      const value = original[name]
      if (value !== undefined) prev[name] = value
    }
    next = {
      v: 1,
      id: target.id,
      config: target.config,
      ...(target.hash !== undefined ? { hash: target.hash } : {}),
      ...(target.idle !== undefined ? { idle: target.idle } : {}),
      set: { ...target.vars },
      prev,
    }
  }
  desired.set(SAVED_VARIABLE, next ? encodeSaved(next) : undefined)

  const plan: Plan = { exports: {}, unsets: [] }
  for (const [name, value] of desired) {
    if (value === undefined) {
      if (env[name] !== undefined) plan.unsets.push(name)
    } else if (env[name] !== value) {
      plan.exports[name] = value
    }
  }
  return plan
}

export function isEmpty(plan: Plan): boolean {
  return plan.unsets.length === 0 && Object.keys(plan.exports).length === 0
}
