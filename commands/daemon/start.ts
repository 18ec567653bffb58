import { FabrikCommand } from '../_base.js'
import { startedLines, type DaemonInfo } from '../../src/daemon/info.js'

export default class DaemonStart extends FabrikCommand {
  static override summary = "Start this project's daemon (or return the one already running)"
  static override description =
    'Finds fabrik.toml (or the user config), starts a detached daemon for it that logs to its state dir, waits until it answers /ready and prints its URLs. Running it again returns the running daemon.'
  static override examples = ['<%= config.bin %> daemon start', '<%= config.bin %> daemon start --json']
  static override enableJsonFlag = true

  async run(): Promise<DaemonInfo & { started: boolean; cache_dir?: string }> {
    const { flags } = await this.parse(DaemonStart)
    const [{ locateConfig }, { startAndRecord }] = await Promise.all([import('../../src/daemon/locate.js'), import('./_fast-start.js')])
    const located = await locateConfig({ cwd: process.cwd(), configPath: flags.config, env: process.env })
    let cacheDir: string | undefined
    const info = await startAndRecord({
      ...located,
      load: async () => {
        const loaded = await this.loadConfig(flags)
        cacheDir = loaded.config.cache.dir
        return loaded
      },
    }, process.env)
    for (const line of startedLines(info, cacheDir)) this.log(line)
    return { ...info, ...(cacheDir ? { cache_dir: cacheDir } : {}) }
  }
}
