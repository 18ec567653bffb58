// Entry point of the daemon process that `fabrik daemon start` spawns. It skips oclif's startup (command
// discovery, plugin loading — a fifth of the time to ready) because its arguments are ours, not a user's:
// either --loaded-config-stdin (the CLI writes its validated config to stdin, handoff.ts), or
// [--config PATH] followed by --config-<name> VALUE pairs (the overrides table), loaded here as `daemon run` does.
// The build bundles this file with what it imports (scripts/bundle-daemon.mjs); spawn.ts then runs launch.ts,
// which loads that bundle and calls main().
import { pathToFileURL } from 'node:url'
import { EXIT_CODES } from '../errors/exit-codes.js'
import { FabrikError, toFabrikError } from '../errors/registry.js'
import { OVERRIDES } from '../config/overrides.js'
import type { LoadedConfig } from '../config/types.js'
import { ERROR_LINE_PREFIX, STDIN_CONFIG_ARG, decodeLoaded, readStdinSync } from './handoff.js'

export function parseDaemonArgs(argv: string[]): { configPath?: string; flags: Record<string, string> } {
  const known = new Set(OVERRIDES.map((o) => o.name))
  const flags: Record<string, string> = {}
  let configPath: string | undefined
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]
    const value = argv[i + 1]
    if (value === undefined) throw new FabrikError('USAGE', `${name} needs a value`)
    if (name === '--config') configPath = value
    else if (name?.startsWith('--config-') && known.has(name.slice('--config-'.length))) flags[name.slice('--config-'.length)] = value
    else throw new FabrikError('USAGE', `unknown daemon argument ${name}`)
  }
  return { configPath, flags }
}

async function loadFromArgs(argv: string[]): Promise<LoadedConfig> {
  const { configPath, flags } = parseDaemonArgs(argv)
  const { loadConfig } = await import('../config/load.js')
  return loadConfig({ cwd: process.cwd(), configPath, env: process.env, flags })
}

/** Loads every module serving needs (launch.ts also calls it at build time, to fill its code cache). */
export async function preloadServer(): Promise<void> {
  const [, { loadServerModules }] = await Promise.all([import('./foreground.js'), import('./serve.js')])
  await loadServerModules()
}

/** Runs the daemon; failures are printed to the log and set the exit code. */
export async function main(): Promise<void> {
  try {
    const argv = process.argv.slice(2)
    // The server modules load first: in the stdin case the CLI validates the config meanwhile (start.ts), and the
    // synchronous read below would stall their loading.
    await preloadServer()
    const { runForeground } = await import('./foreground.js')
    const loaded = argv.length === 1 && argv[0] === STDIN_CONFIG_ARG ? decodeLoaded(readStdinSync()) : await loadFromArgs(argv)
    // No config: the CLI found it invalid after spawning us, and reports that itself.
    if (loaded === undefined) return
    await runForeground(loaded)
  } catch (err) {
    const fe = toFabrikError(err)
    process.stderr.write(`${fe.code}: ${fe.message}\n${fe.fix}\n`)
    // For the CLI that started this daemon: it reports this error as its own instead of the log's tail (start.ts).
    process.stderr.write(`${ERROR_LINE_PREFIX}${JSON.stringify(fe.toJSON())}\n`)
    if (fe.kind === 'internal' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
    process.exitCode = EXIT_CODES[fe.kind]
  }
}

// Only when run as a program, not when a test imports parseDaemonArgs (launch.ts calls main() itself).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main()
