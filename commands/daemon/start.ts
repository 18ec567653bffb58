import { FabrikCommand } from '../_base.js'
import { startedLines, type DaemonInfo } from '../../src/daemon/info.js'

export default class DaemonStart extends FabrikCommand {
  static override summary = "Start this project's daemon (or return the one already running)"
  static override description =
    'Finds fabrik.toml (or the user config), starts a detached daemon for it that logs to its state dir, waits until it answers /ready and prints its URLs. Running it again returns the running daemon.'
  static override examples = ['<%= config.bin %> daemon start', '<%= config.bin %> daemon start --json']
  static override enableJsonFlag = true

  async run(): Promise<DaemonInfo & { started: boolean }> {
    const { flags } = await this.parse(DaemonStart)
    const [{ locateConfig }, { startDaemon }] = await Promise.all([import('../../src/daemon/locate.js'), import('../../src/daemon/start.js')])
    // The daemon is spawned on the located file and boots while loadConfig parses and validates it (start.ts).
    const located = await locateConfig({ cwd: process.cwd(), configPath: flags.config, env: process.env })
    const info = await startDaemon({ ...located, load: () => this.loadConfig(flags) })
    for (const line of startedLines(info)) this.log(line)
    return info
  }
}
