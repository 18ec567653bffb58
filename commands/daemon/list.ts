import { FabrikCommand } from '../_base.js'
import type { DaemonInfo } from '../../src/daemon/info.js'
import type { Figures } from '../../src/daemon/figures.js'

export default class DaemonList extends FabrikCommand {
  static override summary = 'List the running daemons of this user, with uptime and cache size'
  static override enableJsonFlag = true

  async run(): Promise<{ daemons: (DaemonInfo & Figures)[] }> {
    const { stateDir, stateRoot } = await import('../../src/daemon/identity.js')
    const { listStateIds } = await import('../../src/daemon/state.js')
    const { runningIn } = await import('../../src/daemon/start.js')
    const { figures, formatBytes, formatUptime, table } = await import('../../src/daemon/figures.js')
    const daemons: (DaemonInfo & Figures)[] = []
    for (const id of listStateIds(stateRoot())) {
      const info = await runningIn(id, stateDir(id))
      if (info) daemons.push({ ...info, ...(await figures(info.http_url)) })
    }
    if (daemons.length === 0) {
      this.log('No daemon is running (`fabrik daemon start` starts this project\'s)')
      return { daemons }
    }
    const rows = [['ID', 'PID', 'UPTIME', 'CACHE', 'HTTP', 'CONFIG']]
    for (const d of daemons) {
      rows.push([d.id, String(d.pid), formatUptime(d.uptime_s), formatBytes(d.cache_bytes), d.http_url, d.config_path ?? '(user config)'])
    }
    for (const line of table(rows)) this.log(line)
    return { daemons }
  }
}
