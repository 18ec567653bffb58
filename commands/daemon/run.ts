import { FabrikCommand } from '../_base.js'

export default class DaemonRun extends FabrikCommand {
  static override summary = 'Run the daemon in the foreground (for systemd, containers and `daemon start`)'
  static override description = 'Serves until SIGTERM or SIGINT, then drains in-flight requests and exits.'

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonRun)
    const loaded = await this.loadConfig(flags)
    const { serveDaemon } = await import('../../src/daemon/serve.js')
    const daemon = await serveDaemon(loaded)
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        daemon.logger.info({ signal }, 'shutdown requested')
        void daemon.close().then(resolve, (err: unknown) => {
          daemon.logger.error({ err }, 'shutdown failed')
          resolve()
        })
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
    })
    daemon.logger.flush()
  }
}
