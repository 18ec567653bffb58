import { accessSync, constants, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { syncProjectBazelrc } from '../activate/project-bazelrc.js'
import { trustState } from '../activate/trust.js'
import { rcLine } from '../activate/hooks.js'
import { decodeSaved, restoreOriginal, SAVED_VARIABLE } from '../activate/saved.js'
import { detectShell } from '../activate/shell.js'
import { computeVariables, MANAGED_VARIABLES } from '../activate/variables.js'
import type { LoadedConfig } from '../config/types.js'
import { contentHash, daemonId } from '../daemon/identity.js'
import type { DaemonInfo } from '../daemon/info.js'
import { findRunning } from '../daemon/start.js'
import { addTryImport, findBazelWorkspace, hasTryImport, PROJECT_BAZELRC, tryImportLine } from '../wiring/bazel.js'
import { gradleInitScriptPath, gradleInitScriptStatus, installGradleInitScript } from '../wiring/gradle.js'
import { addHookLine, hasHookLine, rcFile } from '../wiring/rc.js'
import { describeToken } from '../auth/describe.js'
import { probe } from '../daemon/probe.js'
import type { Check, CheckResult } from './types.js'

// What `fabrik doctor` checks, in order: the daemon, the `fabrik` binary the hook calls, the hook in the rc file,
// the current shell's variables, and each enabled tool's wiring. Every failure says how to fix it.

export interface DoctorContext {
  loaded: LoadedConfig
  env: NodeJS.ProcessEnv
  cwd: string
  /** Starts the daemon (doctor --fix); injected so this module stays free of CLI concerns. */
  startDaemon(): Promise<DaemonInfo>
}

const ok = (name: string, message: string): CheckResult => ({ name, ok: true, message, fixable: false })
const skip = (name: string, message: string): CheckResult => ({ name, ok: true, skipped: true, message, fixable: false })

export function doctorChecks(ctx: DoctorContext): Check[] {
  const { loaded, env } = ctx
  const enabled = new Set(loaded.config.build_systems.enabled)
  const shell = detectShell(undefined, env)
  let running: DaemonInfo | undefined
  const checks: Check[] = [
    {
      name: 'daemon',
      async run() {
        running = await findRunning(loaded, env)
        if (running) return ok('daemon', `daemon ${running.id} runs (pid ${running.pid}) at ${running.http_url}`)
        return {
          name: 'daemon',
          ok: false,
          message: `no daemon runs for ${loaded.path ?? 'the user-wide config'} (id ${daemonId(loaded.config)})`,
          fix: 'fabrik daemon start',
          fixable: true,
        }
      },
      async apply() {
        running = await ctx.startDaemon()
        return `started daemon ${running.id} (pid ${running.pid})`
      },
    },
    {
      // A regional tier refuses a daemon without a valid token; the build then only misses, so say why here.
      name: 'regional token',
      async run() {
        const name = 'regional token'
        const regional = loaded.config.upstream.filter((u) => /^grpcs?:/.test(u.url))
        if (regional.length === 0) return skip(name, 'no grpc:// upstream (fabrik server) is configured')
        const report = describeToken(loaded.config.auth.token, env)
        if (report.problem) return { name, ok: false, message: report.problem, fix: 'export FABRIK_TOKEN=<the JWT your team issues>', fixable: false }
        const health = running ? await probe(Number(new URL(running.http_url).port), '/health', 3000) : undefined
        type Refused = { reads?: string; writes?: string; fix: string }
        const layers = ((health?.body as { layers?: { kind: string; last_error?: string; refused?: Refused }[] } | undefined)?.layers ?? []).filter((l) => l.kind === 'grpc')
        const refused = layers.find((l) => l.refused || (l.last_error && /UNAUTHENTICATED|PERMISSION_DENIED/.test(l.last_error)))
        if (refused) {
          const why = refused.refused?.reads ?? refused.refused?.writes ?? refused.last_error
          return { name, ok: false, message: `the regional server refuses the token from ${report.source}: ${why}`, fix: refused.refused?.fix ?? 'export FABRIK_TOKEN=<a valid JWT with cache:read and cache:write>, then fabrik daemon restart', fixable: false }
        }
        return ok(name, `sends the token of ${report.subject} (tenant ${report.tenant}, ${report.permissions?.join(', ') || 'no permissions'}) from ${report.source}, valid until ${report.expires_at}`)
      },
    },
    {
      name: 'trusted',
      run() {
        if (!loaded.path || !loaded.path.endsWith('fabrik.toml')) return skip('trusted', 'no project fabrik.toml (the hook only acts on project files)')
        const state = trustState(loaded.path, contentHash(loaded.bytes), env)
        if (state === 'trusted') return ok('trusted', `the shell hook acts on ${loaded.path}`)
        return {
          name: 'trusted',
          ok: false,
          message: `${loaded.path} ${state === 'changed' ? 'has changed since you trusted it' : 'is not trusted'}: the shell hook does not act on it`,
          fix: 'Review it, then run `fabrik trust`',
          fixable: false,
        }
      },
    },
    {
      name: 'fabrik on PATH',
      run() {
        const found = onPath('fabrik', env)
        if (found) return ok('fabrik on PATH', `the hook runs ${found}`)
        return {
          name: 'fabrik on PATH',
          ok: false,
          message: 'the shell hook runs `fabrik`, but no executable of that name is on PATH',
          fix: 'Install it from a Fabrik checkout with `npm i -g .` (or `npm i -g ./fabrik-<version>.tgz` from `npm pack`), or add its bin folder to PATH in your rc file.',
          fixable: false,
        }
      },
    },
    {
      name: `${shell} hook`,
      run() {
        const file = rcFile(shell, env)
        if (hasHookLine(shell, env)) return ok(`${shell} hook`, `${file} runs \`fabrik activate ${shell}\``)
        return {
          name: `${shell} hook`,
          ok: false,
          message: `${file} does not run \`fabrik activate ${shell}\` ($SHELL is ${env.SHELL ?? 'unset'})`,
          fix: `Add this line to ${file}: ${rcLine(shell)}`,
          fixable: true,
        }
      },
      apply() {
        addHookLine(shell, env)
        return `added \`${rcLine(shell)}\` to ${rcFile(shell, env)}; open a new shell to use it`
      },
    },
    {
      name: 'shell variables',
      run: () => checkVariables(ctx, running),
    },
  ]
  if (enabled.has('gradle')) {
    checks.push({
      name: 'gradle init script',
      run() {
        const path = gradleInitScriptPath(env)
        const status = gradleInitScriptStatus(env)
        if (status === 'current') return ok('gradle init script', `${path} is installed`)
        return {
          name: 'gradle init script',
          ok: false,
          message: `${path} is ${status}: stock Gradle reads no GRADLE_BUILD_CACHE_URL without it`,
          fix: `Install ${path} (fabrik init installs it too)`,
          fixable: true,
        }
      },
      apply() {
        installGradleInitScript(env, { replace: true })
        return `installed ${gradleInitScriptPath(env)}`
      },
    })
  }
  if (enabled.has('bazel')) {
    const workspace = findBazelWorkspace(ctx.cwd)
    checks.push({
      name: 'bazel .bazelrc import',
      run() {
        if (!workspace) return skip('bazel .bazelrc import', 'no Bazel workspace (WORKSPACE or MODULE.bazel) at or above this folder')
        const line = tryImportLine(workspace, loaded.baseDir)
        const name = 'bazel .bazelrc import'
        if (!hasTryImport(workspace, loaded.baseDir)) {
          return {
            name,
            ok: false,
            message: `${workspace}/.bazelrc lacks \`${line}\`: Bazel before 9 reads no BAZELRC, so plain \`bazel build\` misses the daemon`,
            fix: `Add \`${line}\` to ${workspace}/.bazelrc (or use fabrik exec -- bazel ...)`,
            fixable: true,
          }
        }
        // What the import reads must exist and name the daemon that runs now, not merely be expected to.
        const file = join(loaded.baseDir, PROJECT_BAZELRC)
        let text: string | undefined
        try {
          text = readFileSync(file, 'utf8')
        } catch {
          text = undefined
        }
        const url = text?.match(/--remote_cache=(\S+)/)?.[1]
        if (!running) {
          return { name, ok: false, message: `${workspace}/.bazelrc imports ${file}, but no daemon runs for it to name`, fix: 'fabrik daemon start', fixable: true }
        }
        if (url !== running.grpc_url) {
          return {
            name,
            ok: false,
            message: `${file} ${text === undefined ? 'does not exist' : `names ${url ?? 'no remote cache'}`}, not the running daemon (${running.grpc_url})`,
            fix: 'fabrik doctor --fix (or cd into the project in an activated shell) rewrites it',
            fixable: true,
          }
        }
        return ok(name, `${workspace}/.bazelrc imports ${file}, which names daemon ${running.id} at ${running.grpc_url} (plain bazel uses it)`)
      },
      async apply() {
        addTryImport(workspace as string, loaded.baseDir)
        running ??= await ctx.startDaemon()
        syncProjectBazelrc(loaded.baseDir, running.grpc_url)
        return `${workspace}/.bazelrc imports ${join(loaded.baseDir, PROJECT_BAZELRC)}, which names daemon ${running.id}`
      },
    })
  }
  return checks
}

/** In an activated shell, the exported variables must be this project's current ones (turbo, nx, ...). */
function checkVariables(ctx: DoctorContext, running: DaemonInfo | undefined): CheckResult {
  const name = 'shell variables'
  const saved = decodeSaved(ctx.env[SAVED_VARIABLE])
  if (!saved) return skip(name, 'this shell is not activated (the hook exports the variables on cd; CI uses fabrik exec)')
  const id = daemonId(ctx.loaded.config)
  const refresh = `Run: eval "$(fabrik hook-env --shell ${detectShell(undefined, ctx.env)})"`
  if (saved.id !== id) {
    return { name, ok: false, message: `this shell is activated for ${saved.config} (daemon ${saved.id}), not this project (daemon ${id})`, fix: refresh, fixable: false }
  }
  if (!running) return { name, ok: false, message: 'the shell is activated but its daemon is not running', fix: `fabrik daemon start, then ${refresh}`, fixable: false }
  const original = restoreOriginal(ctx.env, saved)
  const want = computeVariables({ ...running, enabled: ctx.loaded.config.build_systems.enabled }, original).set
  const wrong = MANAGED_VARIABLES.filter((v) => want[v] !== undefined && ctx.env[v] !== want[v])
  if (wrong.length === 0) return ok(name, `${Object.keys(want).join(', ')} point at daemon ${id}`)
  const detail = wrong.map((v) => `${v}=${ctx.env[v] ?? '(unset)'} (expected ${want[v]})`).join('; ')
  return { name, ok: false, message: `stale or changed variables: ${detail}`, fix: refresh, fixable: false }
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, command)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // keep looking
    }
  }
  return undefined
}
