import { OVERRIDES } from '../../src/config/overrides.js'
import { startedLines, type DaemonInfo } from '../../src/daemon/info.js'

// `fabrik daemon start` without oclif, for bin/run.js: oclif's startup (importing @oclif/core, reading the
// manifest, parsing) is ~200 ms of a start whose target is 500 ms, and the shell hook and editors run this
// command often. It takes only argv it fully understands — --json, --config, --config-<name> (each at most once,
// as `--flag value` or `--flag=value`) — and answers undefined for anything else (--help, a typo, an unknown
// flag), which bin/run.js then hands to oclif, so those keep oclif's behaviour and messages. Output and exit
// codes are the command's (start.ts): the same lines, the same JSON, errors rendered by oclif itself.

export interface StartArgs {
  json: boolean
  configPath?: string
  /** --config-<name> values keyed by override name, as loadConfig takes them. */
  flags: Record<string, string>
}

const OVERRIDE_NAMES = new Set(OVERRIDES.map((o) => o.name))

/** The arguments after `daemon start`, or undefined when oclif should parse them. */
export function parseStartArgs(argv: string[]): StartArgs | undefined {
  const out: StartArgs = { json: false, flags: {} }
  const seen = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--') || seen.has(arg.split('=')[0] as string)) return undefined
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    seen.add(name)
    if (name === '--json') {
      if (eq !== -1) return undefined
      out.json = true
      continue
    }
    const isConfig = name === '--config'
    const override = name.startsWith('--config-') ? name.slice('--config-'.length) : undefined
    if (!isConfig && (override === undefined || !OVERRIDE_NAMES.has(override))) return undefined
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else {
      value = argv[++i]
      // oclif reads a following flag as a missing value and says so; let it.
      if (value === undefined || value.startsWith('-')) return undefined
    }
    if (isConfig) out.configPath = value
    else out.flags[override as string] = value
  }
  return out
}

/** Runs `daemon start`; resolves to the exit code, or undefined when bin/run.js should run oclif instead. */
export async function fastDaemonStart(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  const args = parseStartArgs(argv)
  // oclif also switches to JSON on FABRIK_CONTENT_TYPE=json; rare enough to leave to it.
  if (!args || env.FABRIK_CONTENT_TYPE !== undefined) return undefined
  const { locateConfig } = await import('../../src/daemon/locate.js')
  const cwd = process.cwd()
  const configPath = args.configPath ?? (env.FABRIK_CONFIG || undefined)
  let info: DaemonInfo & { started: boolean }
  let cacheDir: string | undefined
  try {
    const located = await locateConfig({ cwd, configPath, env })
    const load = async () => {
      const loaded = await (await import('../../src/config/load.js')).loadConfig({ cwd, configPath, env, flags: args.flags })
      cacheDir = loaded.config.cache.dir
      const note = (await import('../../src/activate/trust.js')).untrustedNote(loaded, env)
      if (note) process.stderr.write(`${note}\n`)
      return loaded
    }
    info = await startAndRecord({ ...located, load }, env)
  } catch (err) {
    return reportFailure(err, args.json)
  }
  if (args.json) {
    // What oclif's logJson prints (two-space JSON, no colour theme in this CLI).
    process.stdout.write(`${JSON.stringify({ ...info, ...(cacheDir ? { cache_dir: cacheDir } : {}) }, null, 2)}\n`)
    return 0
  }
  process.stdout.write(`${startedLines(info, cacheDir).join('\n')}\n`)
  return 0
}

/** As FabrikCommand.catch does it: JSON error and exit code, or oclif's own error rendering (loaded only now). */
async function reportFailure(err: unknown, json: boolean): Promise<number> {
  const [{ toFabrikError }, { EXIT_CODES }] = await Promise.all([import('../../src/errors/registry.js'), import('../../src/errors/exit-codes.js')])
  const fe = toFabrikError(err)
  const exit = EXIT_CODES[fe.kind]
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: fe.toJSON() }, null, 2)}\n`)
    return exit
  }
  const { Errors } = await import('@oclif/core')
  try {
    Errors.error(`${fe.code}: ${fe.message}`, { exit, code: fe.code, suggestions: [fe.fix] })
  } catch (cliError) {
    // Prints as oclif prints a command's error, then exits the process with `exit`.
    await Errors.handle(cliError as Error)
  }
  return exit
}

/**
 * Starts the daemon as activation does (ensure.ts): also records the project, so an activated shell and the
 * daemon's orphan check know which daemon this fabrik.toml names, and writes the project's .fabrik/bazelrc.
 */
export async function startAndRecord(
  pending: { load(): Promise<import('../../src/config/types.js').LoadedConfig> },
  env: NodeJS.ProcessEnv,
): Promise<DaemonInfo & { started: boolean }> {
  const loaded = await pending.load()
  const [{ ensureActivation }, { runningIn }] = await Promise.all([import('../../src/activate/ensure.js'), import('../../src/daemon/start.js')])
  const ensured = await ensureActivation(loaded, env)
  for (const w of ensured.warnings) process.stderr.write(`fabrik: ${w}\n`)
  const info = await runningIn(ensured.record.id, ensured.record.state_dir)
  if (!info) {
    const { FabrikError } = await import('../../src/errors/registry.js')
    throw new FabrikError('DAEMON_NOT_RUNNING', `daemon ${ensured.record.id} stopped right after it started`)
  }
  return { ...info, started: ensured.started }
}
