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

  async run(): Promise<{ path: string; trusted: boolean; gitignore: string; wiring: import('../src/wiring/apply.js').Change[] }> {
    const { flags } = await this.parse(Init)
    const [{ writeInitFile }, { readFileSync }, { join }] = await Promise.all([
      import('../src/config/init.js'),
      import('node:fs'),
      import('node:path'),
    ])
    const path = await writeInitFile({ dir: flags.dir ?? process.cwd(), force: flags.force })
    this.log(`Wrote ${path}`)
    // What the user has just written is what they trust: the shell hook acts on it from the next prompt.
    const { trust } = await import('../src/activate/trust.js')
    trust(path, readFileSync(path))
    this.log(`  trusted: the shell hook uses it (\`fabrik trust --revoke\` undoes that)`)
    const loaded = await this.loadConfig({ ...flags, config: path }, { quiet: true })
    const { addGitignoreLine } = await import('../src/wiring/gitignore.js')
    const gitignore = join(loaded.baseDir, '.gitignore')
    this.log(`  git: ${addGitignoreLine(loaded.baseDir) ? 'added .fabrik/ to' : 'already ignores .fabrik/ in'} ${gitignore}`)
    // Per-tool wiring for the enabled tools that read no variable (Gradle init script, Bazel try-import).
    const { applyWiring } = await import('../src/wiring/apply.js')
    const wiring = await applyWiring(loaded.baseDir, loaded.config)
    for (const c of wiring) this.log(`  ${c.tool}: ${c.action} ${c.path} (${c.detail})`)
    this.log('Next: `fabrik daemon start`, or `eval "$(fabrik activate bash)"` in your shell rc (zsh, fish too); `fabrik doctor` checks it all.')
    return { path, trusted: true, gitignore, wiring }
  }
}
