import { FabrikCommand } from '../_base.js'

export default class ConfigShow extends FabrikCommand {
  static override summary = 'Show the effective configuration and where each value comes from'
  static override description =
    'Prints every setting with its source: flag (--config-*), env (FABRIK_CONFIG_*), file (fabrik.toml) or default. ' +
    'Secrets are masked. With --json, sizes are bytes and durations milliseconds.'
  static override examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json --config-log-level debug']
  static override enableJsonFlag = true

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ConfigShow)
    const loaded = await this.loadConfig(flags)
    const { showData, showTable } = await import('../../src/config/show.js')
    const data = showData(loaded)
    this.log(showTable(data))
    return data
  }
}
