import { Command, Flags } from '@oclif/core'
import { SHELLS } from '../src/activate/shell.js'

// Normally bin/run.js answers `fabrik hook-env` without loading oclif (it runs on every cd); this command only
// documents it and serves bin/dev.js.
export default class HookEnv extends Command {
  static override hidden = true
  static override summary = 'Print the shell code that activates the current folder (used by the activate hook)'
  static override flags = {
    shell: Flags.string({ char: 's', options: [...SHELLS], description: 'Syntax to print (default: from $SHELL)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(HookEnv)
    const { runHookEnv } = await import('../src/activate/hook-env.js')
    process.exitCode = await runHookEnv(flags.shell ? ['--shell', flags.shell] : [])
  }
}
