import { Flags } from '@oclif/core'
import { BaseCommand } from './_base.js'

export default class Implode extends BaseCommand {
  static override summary = 'Remove everything Fabrik wrote on this machine (listed first)'
  static override description =
    'Stops every daemon, then removes: the `fabrik activate` line from your shell rc files, the Gradle init ' +
    "script, each known project's Bazel try-import, .fabrik/ folder and .gitignore line (and its fabrik.toml when " +
    '`fabrik init` wrote it and it was never edited), the daemons\' state and logs, the user-wide cache, the trust ' +
    'records and the user-wide config. Prints the list and asks first; --yes skips the question, --dry-run only ' +
    'lists. Afterwards remove the program itself with `npm rm -g fabrik`.'
  static override examples = ['<%= config.bin %> implode --dry-run', '<%= config.bin %> implode --yes']
  static override enableJsonFlag = true
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation', default: false }),
    'dry-run': Flags.boolean({ description: 'Only list what would be removed', default: false }),
  }

  async run(): Promise<{ removed: { path: string; action: string; detail: string }[]; dryRun: boolean }> {
    const { flags } = await this.parse(Implode)
    const { implodePlan } = await import('../src/wiring/implode.js')
    const steps = implodePlan(process.env, process.cwd())
    const listed = steps.map(({ path, action, detail }) => ({ path, action, detail }))
    if (steps.length === 0) {
      this.log('Nothing of Fabrik is left on this machine.')
      return { removed: [], dryRun: flags['dry-run'] }
    }
    this.log(flags['dry-run'] ? 'Would remove:' : 'Removes:')
    for (const s of steps) this.log(`  ${s.action === 'delete' ? 'delete' : 'edit  '}  ${s.path}  (${s.detail})`)
    if (flags['dry-run']) return { removed: listed, dryRun: true }
    if (!flags.yes) {
      if (!process.stdin.isTTY) {
        const { FabrikError } = await import('../src/errors/registry.js')
        throw new FabrikError('USAGE', 'not a terminal, so no one can confirm', { fix: 'Run `fabrik implode --yes` to remove the files listed above.' })
      }
      const { createInterface } = await import('node:readline/promises')
      const rl = createInterface({ input: process.stdin, output: process.stderr })
      const answer = await rl.question('Remove all of the above? [y/N] ')
      rl.close()
      if (!/^y(es)?$/i.test(answer.trim())) {
        this.log('Nothing removed.')
        return { removed: [], dryRun: false }
      }
    }
    // Daemons first: they hold the state dir and the stores.
    const [{ stateDir, stateRoot }, { listStateIds }, { stopDaemon }] = await Promise.all([
      import('../src/daemon/identity.js'),
      import('../src/daemon/state.js'),
      import('../src/daemon/stop.js'),
    ])
    for (const id of listStateIds(stateRoot())) {
      const r = await stopDaemon(id, stateDir(id))
      if (r.stopped) this.log(`Stopped daemon ${id} (pid ${r.pid})`)
    }
    for (const s of steps) s.apply()
    this.log(`Removed ${steps.length} item${steps.length === 1 ? '' : 's'}. To remove the program too: npm rm -g fabrik`)
    this.log('In a shell that is still activated, run `fabrik deactivate` (or open a new shell).')
    return { removed: listed, dryRun: false }
  }
}
