import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { daemonId, stateDir } from '../daemon/identity.js'
import { readActivation, type ActivationRecord } from './cache.js'
import { findProjectConfig } from './find.js'
import { decodeSaved, restoreOriginal, SAVED_VARIABLE } from './saved.js'
import { detectShell, renderPlan, type Shell } from './shell.js'
import { transition, type Target } from './transition.js'
import { computeVariables } from './variables.js'

// `fabrik hook-env --shell SHELL`: what the activation hook runs when the directory changed. bin/run.js calls
// runHookEnv directly, without oclif, because it runs on every `cd`. Fast path: find fabrik.toml (a few stat
// calls), hash its bytes to get the daemon id, read the activation record in that daemon's state dir and check
// its pid is alive — no config parsing. Only when that fails (first activation, daemon stopped or restarted)
// does it load the config and start the daemon. Its stdout is evaluated by the shell: shell code only.

export interface HookEnvResult {
  /** Shell code for the hook to evaluate (a diff; empty when nothing changes). */
  script: string
  /** Human messages for stderr (daemon started, errors). */
  messages: string[]
}

export async function hookEnv(options: { shell: Shell; env: NodeJS.ProcessEnv; cwd: string }): Promise<HookEnvResult> {
  const { shell, env, cwd } = options
  const saved = decodeSaved(env[SAVED_VARIABLE])
  const original = restoreOriginal(env, saved)
  const messages: string[] = []
  let target: Target | undefined
  try {
    const configPath = findProjectConfig(cwd)
    if (configPath) {
      const record = await projectRecord(configPath, original, messages)
      target = { id: record.id, config: configPath, vars: computeVariables(record, original).set }
    }
  } catch (err) {
    // Never leave the shell pointing at a daemon that is not there: report, and deactivate.
    const e = err as Error & { code?: string; fix?: string }
    messages.push(`fabrik: ${e.code ? `${e.code}: ` : ''}${e.message}${e.fix ? `\n  ${e.fix}` : ''}`)
    target = undefined
  }
  return { script: renderPlan(shell, transition(env, saved, target)), messages }
}

async function projectRecord(configPath: string, original: NodeJS.ProcessEnv, messages: string[]): Promise<ActivationRecord> {
  const id = daemonId(readFileSync(configPath))
  const fast = readActivation(stateDir(id, original), id)
  if (fast) return fast
  const [{ loadConfig }, { ensureActivation }] = await Promise.all([import('../config/load.js'), import('./ensure.js')])
  // The config found by walking up, never FABRIK_CONFIG: activation follows the directory.
  const loaded = await loadConfig({ cwd: dirname(configPath), configPath, env: original, flags: {} })
  const ensured = await ensureActivation(loaded, original)
  if (ensured.started) messages.push(`fabrik: started daemon ${ensured.record.id} for ${configPath}`)
  messages.push(...ensured.warnings.map((w) => `fabrik: ${w}`))
  return ensured.record
}

/** Entry point for bin/run.js: parses `--shell X` / `--shell=X`, writes the script, returns the exit code. */
export async function runHookEnv(argv: string[]): Promise<number> {
  let flag: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--shell' || arg === '-s') flag = argv[++i]
    else if (arg.startsWith('--shell=')) flag = arg.slice('--shell='.length)
  }
  let cwd: string
  try {
    cwd = process.cwd()
  } catch {
    // The directory was deleted under the shell: its logical path is all there is.
    cwd = process.env.PWD ?? '/'
  }
  try {
    const result = await hookEnv({ shell: detectShell(flag, process.env), env: process.env, cwd })
    if (result.messages.length) process.stderr.write(`${result.messages.join('\n')}\n`)
    process.stdout.write(result.script)
    return 0
  } catch (err) {
    // Print nothing for the shell to evaluate; one line instead of a stack trace on every cd.
    process.stderr.write(`fabrik hook-env: ${(err as Error).message}\n`)
    return 1
  }
}
