// Entry point of the daemon process that `fabrik daemon start` spawns. It skips oclif's startup (command
// discovery, plugin loading — a fifth of the time to ready) because its arguments are ours, not a user's:
// [--config PATH] followed by --config-<name> VALUE pairs (the overrides table).
import { pathToFileURL } from 'node:url'
import { EXIT_CODES } from '../errors/exit-codes.js'
import { FabrikError, toFabrikError } from '../errors/registry.js'
import { OVERRIDES } from '../config/overrides.js'

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

async function main(): Promise<void> {
  try {
    const { configPath, flags } = parseDaemonArgs(process.argv.slice(2))
    const [{ loadConfig }, { runForeground }] = await Promise.all([import('../config/load.js'), import('./foreground.js')])
    await runForeground(await loadConfig({ cwd: process.cwd(), configPath, env: process.env, flags }))
  } catch (err) {
    const fe = toFabrikError(err)
    process.stderr.write(`${fe.code}: ${fe.message}\n${fe.fix}\n`)
    if (fe.kind === 'internal' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
    process.exitCode = EXIT_CODES[fe.kind]
  }
}

// Only when run as a program, not when a test imports parseDaemonArgs.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
