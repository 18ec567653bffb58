import { existsSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { contentHash, stateDir } from '../daemon/identity.js'
import { files } from '../daemon/state.js'
import { envKey, livePid, readProjectRecord, type ProjectRecord } from './cache.js'
import { findProjectConfig, PROJECT_CONFIG } from './find.js'
import { projectBazelrcPath, syncProjectBazelrc } from './project-bazelrc.js'
import { decodeSaved, restoreOriginal, SAVED_VARIABLE, type SavedState } from './saved.js'
import { detectShell, renderPlan, type Shell } from './shell.js'
import { transition, type Target } from './transition.js'
import { trustFile, trustState, untrustedLine } from './trust.js'
import { computeVariables } from './variables.js'
import { candidateConfigs, makeStamp, renderWatch, type Watch } from './watch.js'

// `fabrik hook-env --shell SHELL [--watch]`: what the activation hook runs when the directory changed, or (with
// --watch) when a file it watches changed (watch.ts). bin/run.js calls runHookEnv directly, without oclif.
//
// Fast path: find fabrik.toml (a few stat calls), hash its bytes, check it is trusted, read the project's record
// (cache.ts) and check its daemon's pid is alive — no config parsing — and, for Bazel, that the project's
// .fabrik/bazelrc still names that daemon. The config is loaded only when the record
// is stale (first activation, fabrik.toml or FABRIK_CONFIG_* changed) or the daemon must be started.
// A daemon the user stopped in this project is not started again by a prompt: the variables go, and come back
// when the daemon does. Stdout is evaluated by the shell: shell code only; messages go to stderr.

export interface HookEnvResult {
  /** Shell code for the hook to evaluate (a diff, then the watch lists). */
  script: string
  /** Human messages for stderr (daemon started, errors). */
  messages: string[]
}

interface Outcome {
  target?: Target
  watch: Watch
}

// `watch` (the hook noticed a file change rather than a cd) is accepted for the record: both are handled alike,
// because the saved state already tells a prompt in the same project from entering one.
export async function hookEnv(options: { shell: Shell; env: NodeJS.ProcessEnv; cwd: string; watch?: boolean }): Promise<HookEnvResult> {
  const { shell, env, cwd } = options
  const saved = decodeSaved(env[SAVED_VARIABLE])
  const original = restoreOriginal(env, saved)
  const messages: string[] = []
  let outcome: Outcome
  const configPath = findProjectConfig(cwd)
  if (!configPath) {
    // Watch every place a fabrik.toml could appear, so `fabrik init` here activates on the next prompt.
    outcome = { watch: { present: [], absent: candidateConfigs(cwd, PROJECT_CONFIG) } }
  } else {
    try {
      outcome = await activateProject(configPath, saved, original, messages)
    } catch (err) {
      // Never leave the shell pointing at a daemon that is not there: report, deactivate, watch the file so a
      // fix activates on the next prompt.
      const e = err as Error & { code?: string; fix?: string }
      messages.push(`fabrik: ${e.code ? `${e.code}: ` : ''}${e.message}${e.fix ? `\n  ${e.fix}` : ''}`)
      outcome = { watch: { present: [configPath], absent: [] } }
    }
  }
  const plan = renderPlan(shell, transition(env, saved, outcome.target))
  return { script: plan + renderWatch(shell, outcome.watch, makeStamp(outcome.watch, original)), messages }
}

async function activateProject(configPath: string, saved: SavedState | undefined, original: NodeJS.ProcessEnv, messages: string[]): Promise<Outcome> {
  const bytes = readFileSync(configPath)
  const hash = contentHash(bytes)
  const sameFile = saved?.config === configPath && saved.hash === hash

  const trust = trustState(configPath, hash, original)
  if (trust !== 'trusted') {
    // Said once per file and content: not again on every cd inside the project.
    if (!(sameFile && saved?.idle === 'untrusted')) messages.push(untrustedLine(configPath, trust))
    // `fabrik trust` writes the trust file: watching it activates the project on the next prompt.
    const db = trustFile(original)
    // The daemon it had (if any) is remembered, so trusting an edit moves the project off it (slowPath).
    return {
      target: { id: saved?.config === configPath ? saved.id : '', config: configPath, hash, idle: 'untrusted', vars: {} },
      watch: existsSync(db) ? { present: [configPath, db], absent: [] } : { present: [configPath], absent: [db] },
    }
  }

  let record = readProjectRecord(configPath, original)
  if (record && (record.hash !== hash || record.env !== envKey(original))) record = undefined
  if (record) {
    const dir = stateDir(record.id, original)
    const pid = livePid(dir)
    if (pid !== undefined && pid === record.pid) return active(record, configPath, hash, original, messages)
    // The user stopped (or never restarted) this project's daemon: a prompt in the same project does not start it
    // again; `fabrik daemon start` (or entering the project anew) does.
    if (pid === undefined && sameFile) {
      if (saved?.idle !== 'stopped') messages.push(`fabrik: daemon ${record.id} is not running; its variables are unset until \`fabrik daemon start\``)
      return {
        target: { id: record.id, config: configPath, hash, idle: 'stopped', vars: {} },
        watch: { present: [configPath], absent: [files.pid(dir)] },
      }
    }
  }
  return slowPath(configPath, saved, hash, original, messages)
}

function active(record: ProjectRecord, configPath: string, hash: string, original: NodeJS.ProcessEnv, messages: string[]): Outcome {
  const present = [configPath, files.pid(record.state_dir)]
  // A plain `bazel build` reads the project's .fabrik/bazelrc through a try-import, which Bazel skips in silence
  // when the file is missing — as after `git clean -fdx` while the daemon runs on. Watching it lets the shell's
  // own -e test notice on the next prompt; this run (one small read) writes it back.
  if (record.enabled.includes('bazel')) {
    const projectDir = dirname(configPath)
    try {
      syncProjectBazelrc(projectDir, record.grpc_url)
      present.push(projectBazelrcPath(projectDir))
    } catch (err) {
      // Not watched: a file that cannot be written would fail the -e test, and run hook-env, on every prompt.
      const line = `fabrik: could not write ${projectBazelrcPath(projectDir)}: ${(err as Error).message}`
      // The slow path's activation (ensure.ts) may have said so already.
      if (!messages.includes(line)) messages.push(line)
    }
  }
  return {
    target: { id: record.id, config: configPath, hash, vars: computeVariables(record, original).set },
    watch: { present, absent: [] },
  }
}

async function slowPath(configPath: string, saved: SavedState | undefined, hash: string, original: NodeJS.ProcessEnv, messages: string[]): Promise<Outcome> {
  const [{ loadConfig }, { ensureActivation }, { daemonId }] = await Promise.all([
    import('../config/load.js'),
    import('./ensure.js'),
    import('../daemon/identity.js'),
  ])
  // The config found by walking up, never FABRIK_CONFIG: activation follows the directory.
  const loaded = await loadConfig({ cwd: dirname(configPath), configPath, env: original, flags: {} })
  const previous = saved?.config === configPath && saved.id && saved.id !== daemonId(loaded.config) ? saved.id : undefined
  const ensured = await ensureActivation(loaded, original)
  if (previous) {
    messages.push(`fabrik: ${configPath} changed: now daemon ${ensured.record.id} (pid ${ensured.record.pid})`)
    const { stopIfOrphaned } = await import('../daemon/orphan.js')
    const stopped = await stopIfOrphaned(previous, original)
    if (stopped) messages.push(`fabrik: stopped daemon ${previous}, which no fabrik.toml names any more`)
  } else if (ensured.started) {
    messages.push(`fabrik: started daemon ${ensured.record.id} for ${configPath}`)
  }
  messages.push(...ensured.warnings.map((w) => `fabrik: ${w}`))
  return active(ensured.record, configPath, hash, original, messages)
}

/** Entry point for bin/run.js: parses `--shell X` / `--shell=X` and `--watch`, writes the script, returns the exit code. */
export async function runHookEnv(argv: string[]): Promise<number> {
  let flag: string | undefined
  let watch = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--shell' || arg === '-s') flag = argv[++i]
    else if (arg.startsWith('--shell=')) flag = arg.slice('--shell='.length)
    else if (arg === '--watch') watch = true
  }
  let cwd: string
  try {
    cwd = process.cwd()
  } catch {
    // The directory was deleted under the shell: its logical path is all there is.
    cwd = process.env.PWD ?? '/'
  }
  try {
    const result = await hookEnv({ shell: detectShell(flag, process.env), env: process.env, cwd, watch })
    if (result.messages.length) process.stderr.write(`${result.messages.join('\n')}\n`)
    process.stdout.write(result.script)
    return 0
  } catch (err) {
    // Print nothing for the shell to evaluate; one line instead of a stack trace on every cd.
    process.stderr.write(`fabrik hook-env: ${(err as Error).message}\n`)
    return 1
  }
}
