import { FabrikCommand } from '../_base.js'
import type { DaemonInfo } from '../../src/daemon/info.js'

export default class DaemonList extends FabrikCommand {
  static override summary = 'List the running daemons of this user'
  static override enableJsonFlag = true

  async run(): Promise<{ daemons: DaemonInfo[] }> {
    const { stateDir, stateRoot } = await import('../../src/daemon/identity.js')
    const { listStateIds } = await import('../../src/daemon/state.js')
    const { runningIn } = await import('../../src/daemon/start.js')
    const daemons: DaemonInfo[] = []
    for (const id of listStateIds(stateRoot())) {
      const info = await runningIn(id, stateDir(id))
      if (info) daemons.push(info)
    }
    if (daemons.length === 0) this.log('No daemon is running')
    for (const d of daemons) this.log(`${d.id}  pid ${d.pid}  ${d.http_url}  ${d.config_path ?? '(user config)'}`)
    return { daemons }
  }
}
