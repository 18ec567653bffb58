import { Flags } from '@oclif/core'
import { FabrikCommand } from './_base.js'

export default class Init extends FabrikCommand {
  static override summary = 'Write a commented fabrik.toml for this project'
  static override description =
    'Creates fabrik.toml in the current directory (or --dir). Commands run anywhere below that folder use it. ' +
    'An existing file is never replaced unless --force is given.'
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --dir ../app --force']
  static override enableJsonFlag = true
  static override flags = {
    dir: Flags.string({ description: 'Folder to write fabrik.toml in (default: the current directory)' }),
    force: Flags.boolean({ description: 'Overwrite an existing fabrik.toml', default: false }),
  }

  async run(): Promise<{ path: string; wiring: import('../src/wiring/apply.js').Change[] }> {
    const { flags } = await this.parse(Init)
    const { writeInitFile } = await import('../src/config/init.js')
    const path = await writeInitFile({ dir: flags.dir ?? process.cwd(), force: flags.force })
    this.log(`Wrote ${path}`)
    // Per-tool wiring for the enabled tools that read no variable (Gradle init script, Bazel try-import).
    const { applyWiring } = await import('../src/wiring/apply.js')
    const loaded = await this.loadConfig({ ...flags, config: path })
    const wiring = await applyWiring(loaded.baseDir, loaded.config)
    for (const c of wiring) this.log(`  ${c.tool}: ${c.action} ${c.path} (${c.detail})`)
    return { path, wiring }
  }
}
