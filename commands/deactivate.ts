import { Flags } from '@oclif/core'
import { BaseCommand } from './_base.js'
import { SHELLS } from '../src/activate/shell.js'

export default class Deactivate extends BaseCommand {
  static override summary = 'Undo shell activation: restore variables, remove the hook'
  static override description =
    'Prints shell code that restores every variable activation changed (TURBO_*, BAZELRC and the rest get back ' +
    'the value you had, or are unset) and removes the hook from this shell. The `fabrik` function that ' +
    '`fabrik activate` defines evaluates it for you, so `fabrik deactivate` just works in an activated shell; ' +
    'elsewhere run eval "$(fabrik deactivate)".'
  static override examples = ['<%= config.bin %> deactivate', '<%= config.bin %> deactivate --stop-daemon', 'eval "$(command fabrik deactivate --shell bash)"']
  static override flags = {
    shell: Flags.string({ char: 's', options: [...SHELLS], description: 'Syntax to print (default: from $SHELL)' }),
    'stop-daemon': Flags.boolean({ description: "Also stop the active project's daemon", default: false }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Deactivate)
    const [{ deactivationScript, activeDaemonId }, { detectShell }] = await Promise.all([
      import('../src/activate/deactivate.js'),
      import('../src/activate/shell.js'),
    ])
    const shell = detectShell(flags.shell, process.env)
    if (flags['stop-daemon']) {
      const id = await activeDaemonId(process.env, process.cwd())
      if (id) {
        const [{ stopDaemon }, { stateDir }] = await Promise.all([import('../src/daemon/stop.js'), import('../src/daemon/identity.js')])
        const r = await stopDaemon(id, stateDir(id))
        // stdout is evaluated by the shell: messages go to stderr.
        this.logToStderr(r.stopped ? `fabrik: stopped daemon ${id} (pid ${r.pid})` : `fabrik: daemon ${id} was not running`)
      } else {
        this.logToStderr('fabrik: no active project, so no daemon to stop')
      }
    }
    process.stdout.write(deactivationScript(shell, process.env))
    // stdout is for the shell; the person gets one line on stderr.
    const { decodeSaved, SAVED_VARIABLE } = await import('../src/activate/saved.js')
    const saved = decodeSaved(process.env[SAVED_VARIABLE])
    const restored = saved ? Object.keys(saved.set).length : 0
    this.logToStderr(
      saved
        ? `fabrik: deactivated: ${restored} variable${restored === 1 ? '' : 's'} restored or unset, hook removed from this shell (\`eval "$(fabrik activate ${shell})"\` brings it back)`
        : `fabrik: deactivated: no project was active; hook removed from this shell`,
    )
    if (process.stdout.isTTY) this.logToStderr(`# Evaluate this in your shell: eval "$(command fabrik deactivate --shell ${shell})"`)
  }
}
