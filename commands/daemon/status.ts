import { FabrikCommand } from '../_base.js'
import type { DaemonInfo } from '../../src/daemon/info.js'

export default class DaemonStatus extends FabrikCommand {
  static override summary = "Show whether this project's daemon is running"
  static override description = 'Exits 0 when it runs and 69 when it does not.'
  static override enableJsonFlag = true

  async run(): Promise<{ running: boolean; id: string; daemon?: DaemonInfo }> {
    const { flags } = await this.parse(DaemonStatus)
    const loaded = await this.loadConfig(flags)
    const { findRunning } = await import('../../src/daemon/start.js')
    const { daemonId } = await import('../../src/daemon/identity.js')
    const id = daemonId(loaded.config)
    const daemon = await findRunning(loaded)
    if (!daemon) {
      if (this.jsonEnabled()) {
        this.logJson({ running: false, id })
        this.exit(69)
      }
      const { FabrikError } = await import('../../src/errors/registry.js')
      throw new FabrikError('DAEMON_NOT_RUNNING', `no daemon is running for ${loaded.path ?? 'the user-wide config'} (id ${id})`)
    }
    this.log(`Running: daemon ${daemon.id} (pid ${daemon.pid})`)
    this.log(`  HTTP  ${daemon.http_url}`)
    this.log(`  gRPC  ${daemon.grpc_url}`)
    if (daemon.config_path) this.log(`  config ${daemon.config_path}`)
    this.log(`  log   ${daemon.log_file}`)
    return { running: true, id, daemon }
  }
}
