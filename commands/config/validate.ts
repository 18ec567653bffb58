import { Args } from '@oclif/core'
import { FabrikError } from '../../src/errors/registry.js'
import { FabrikCommand } from '../_base.js'

export default class ConfigValidate extends FabrikCommand {
  static override summary = 'Check a fabrik.toml without starting anything'
  static override description =
    'Loads PATH (or the fabrik.toml found from the current directory) exactly as the daemon would — expanding ' +
    '${VAR}s and applying FABRIK_CONFIG_* variables and --config-* flags — and reports the first problems found. ' +
    'Exits 78 when the configuration is invalid.'
  static override examples = ['<%= config.bin %> config validate', '<%= config.bin %> config validate ci/fabrik.toml']
  static override enableJsonFlag = true
  static override args = {
    path: Args.string({ ignoreStdin: true, description: 'Config file to check (default: discovered like every other command)' }),
  }

  async run(): Promise<{ path: string; valid: true; warnings: string[] }> {
    const { args, flags } = await this.parse(ConfigValidate)
    const loaded = await this.loadConfig({ ...flags, config: args.path ?? flags.config })
    if (loaded.path === undefined) {
      throw new FabrikError('CONFIG_NOT_FOUND', `no fabrik.toml in ${process.cwd()} or its parents, and no user config file`)
    }
    for (const w of loaded.warnings) this.warn(w)
    this.log(`✓ ${loaded.path} is valid`)
    return { path: loaded.path, valid: true, warnings: loaded.warnings }
  }
}
