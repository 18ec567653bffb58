import { FabrikCommand } from '../_base.js'
import type { DaemonInfo } from '../../src/daemon/info.js'
import type { Figures } from '../../src/daemon/figures.js'

export default class DaemonStatus extends FabrikCommand {
  static override summary = "Show whether this project's daemon is running"
  static override description = 'Exits 0 either way: a daemon that is not running is a status, not an error (see `running` in --json).'
  static override enableJsonFlag = true

  async run(): Promise<{ running: boolean; id: string; config?: string; daemon?: DaemonInfo & Figures }> {
    const { flags } = await this.parse(DaemonStatus)
    const loaded = await this.loadConfig(flags)
    const { findRunning } = await import('../../src/daemon/start.js')
    const { daemonId } = await import('../../src/daemon/identity.js')
    const { figures, formatBytes, formatUptime } = await import('../../src/daemon/figures.js')
    const id = daemonId(loaded.config)
    const config = loaded.path ?? 'the user-wide config'
    const running = await findRunning(loaded)
    if (!running) {
      this.log(`Not running: daemon ${id} for ${config}`)
      this.log('  start it with `fabrik daemon start` (or cd into the project in an activated shell)')
      return { running: false, id, ...(loaded.path ? { config: loaded.path } : {}) }
    }
    const daemon = { ...running, ...(await figures(running.http_url)) }
    this.log(`Running: daemon ${daemon.id} (pid ${daemon.pid}, up ${formatUptime(daemon.uptime_s)})`)
    this.log(`  HTTP   ${daemon.http_url}`)
    this.log(`  gRPC   ${daemon.grpc_url}`)
    this.log(`  cache  ${loaded.config.cache.dir} (${formatBytes(daemon.cache_bytes)} of ${formatBytes(daemon.cache_max_bytes)})`)
    if (daemon.config_path) this.log(`  config ${daemon.config_path}`)
    this.log(`  log    ${daemon.log_file}`)
    return { running: true, id, ...(loaded.path ? { config: loaded.path } : {}), daemon }
  }
}
