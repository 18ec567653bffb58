import { Command, Flags, type Interfaces } from '@oclif/core'
import { EXIT_CODES } from '../src/errors/exit-codes.js'
import { toFabrikError } from '../src/errors/registry.js'
import type { LoadedConfig } from '../src/config/types.js'
import { OVERRIDES } from '../src/config/overrides.js'

// Base for every command: the config flags, config loading (heavy parts imported lazily), and the one place
// where a FabrikError becomes an exit code. Files starting with "_" are not commands (see package.json oclif).

const configFlags = Object.fromEntries(
  OVERRIDES.map((o) => [`config-${o.name}`, Flags.string({ description: o.description, helpGroup: 'CONFIG' })]),
) as Record<string, Interfaces.OptionFlag<string | undefined>>

export type BaseFlags = Interfaces.InferredFlags<(typeof FabrikCommand)['baseFlags']>

/**
 * Every command's base: usage errors (unknown flag, missing or extra argument) exit 64 as docs/cli.md says, in
 * two lines — what was wrong with the nearest flag when it looks like a typo, and where the help is — instead of
 * oclif's full usage dump.
 */
export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // A deliberate this.exit(n) (after printing --json output) must leave with n, not as a JSON error.
    if ((err as { code?: string }).code === 'EEXIT') throw err
    // oclif's own errors (bad flags, --help exits) keep their handling, usage errors as exit 64.
    if (err.oclif !== undefined || ('exitCode' in err && typeof err.exitCode === 'number' && !('kind' in err))) {
      return this.catchUsage(err)
    }
    const fe = toFabrikError(err)
    const exit = EXIT_CODES[fe.kind]
    if (this.jsonEnabled()) {
      this.logJson({ error: fe.toJSON() })
      this.exit(exit)
    }
    this.error(`${fe.code}: ${fe.message}`, { exit, code: fe.code, suggestions: [fe.fix] })
  }

  private async catchUsage(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    const parse = err as Error & { flags?: string[]; parse?: unknown }
    // Every parse error of oclif (CLIParseError and its kinds: unknown flag, bad option value, missing argument)
    // carries `parse`; oclif would exit 2 with the whole usage.
    if (parse.parse !== undefined && err.oclif?.exit !== 0) {
      const { closest } = await import('../src/cli/suggest.js')
      const ctor = this.constructor as typeof Command
      const known = Object.keys({ ...ctor.baseFlags, ...ctor.flags, ...(ctor.enableJsonFlag ? { json: true } : {}) }).map((f) => `--${f}`)
      const id = (this.id ?? '').replaceAll(':', ' ')
      let message = err.message.split('\n')[0] ?? err.message
      if (err.constructor.name === 'NonExistentFlagsError') {
        const bad = parse.flags ?? (/--?[\w-]+/.exec(message)?.[0] ? [/--?[\w-]+/.exec(message)?.[0] as string] : [])
        message = bad
          .map((f) => {
            const guess = closest(f.split('=')[0] as string, known)
            return `unknown flag ${f}${guess ? ` — did you mean ${guess}?` : ''}`
          })
          .join('; ')
      }
      this.error(`USAGE: ${message}`, { exit: 64, code: 'USAGE', suggestions: [`Run \`fabrik ${id} --help\` for its flags and arguments.`] })
    }
    return super.catch(err)
  }
}

export abstract class FabrikCommand extends BaseCommand {
  static override baseFlags = {
    config: Flags.string({ description: 'Path to fabrik.toml (default: found by walking up from the cwd)', env: 'FABRIK_CONFIG', helpGroup: 'CONFIG' }),
    ...configFlags,
  }

  /**
   * Loads the effective configuration once per command, honouring --config and --config-* flags. A project
   * fabrik.toml the user has not trusted is still used — they typed the command — with one line saying so.
   */
  protected async loadConfig(flags: Record<string, unknown>, options: { quiet?: boolean } = {}): Promise<LoadedConfig> {
    const { loadConfig } = await import('../src/config/load.js')
    const overrides: Record<string, string> = {}
    for (const o of OVERRIDES) {
      const v = flags[`config-${o.name}`]
      if (typeof v === 'string') overrides[o.name] = v
    }
    const loaded = await loadConfig({
      cwd: process.cwd(),
      configPath: typeof flags.config === 'string' ? flags.config : undefined,
      env: process.env,
      flags: overrides,
    })
    if (!options.quiet) {
      const { untrustedNote } = await import('../src/activate/trust.js')
      const note = untrustedNote(loaded)
      if (note) this.logToStderr(note)
    }
    return loaded
  }


}

