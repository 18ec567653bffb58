import { FabrikCommand } from '../_base.js'

export default class DaemonRun extends FabrikCommand {
  static override summary = 'Run the daemon in the foreground (for systemd, containers and `daemon start`)'
  static override description = 'Serves until SIGTERM or SIGINT, then drains in-flight requests and exits.'

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonRun)
    const loaded = await this.loadConfig(flags)
    const { runForeground } = await import('../../src/daemon/foreground.js')
    await runForeground(loaded)
  }
}
