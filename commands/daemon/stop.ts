import { Flags } from '@oclif/core'
import { FabrikCommand } from '../_base.js'

export default class DaemonStop extends FabrikCommand {
  static override summary = "Stop this project's daemon, or every daemon with --all"
  static override enableJsonFlag = true
  static override flags = {
    all: Flags.boolean({ description: 'Stop every daemon of this user' }),
  }

  async run(): Promise<{ stopped: { id: string; pid: number }[] }> {
    const { flags } = await this.parse(DaemonStop)
    const { stopDaemon } = await import('../../src/daemon/stop.js')
    const { daemonId, stateDir, stateRoot } = await import('../../src/daemon/identity.js')
    const { listStateIds } = await import('../../src/daemon/state.js')
    let ids: string[]
    if (flags.all) {
      ids = listStateIds(stateRoot())
    } else {
      const loaded = await this.loadConfig(flags)
      ids = [daemonId(loaded.config)]
    }
    const stopped: { id: string; pid: number }[] = []
    for (const id of ids) {
      const r = await stopDaemon(id, stateDir(id))
      if (r.stopped && r.pid) {
        stopped.push({ id, pid: r.pid })
        this.log(`Stopped daemon ${id} (pid ${r.pid})`)
      }
    }
    if (stopped.length === 0) this.log('No daemon was running')
    return { stopped }
  }
}
