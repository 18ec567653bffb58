import { Args } from '@oclif/core'
import { FabrikCommand } from '../_base.js'

export default class P2PDeny extends FabrikCommand {
  static override summary = 'Refuse a peer (saved: it stays denied after a restart)'
  static override enableJsonFlag = true
  static override args = { peer: Args.string({ description: 'Machine id or hostname (or a unique prefix)', required: true }) }

  async run(): Promise<{ machine_id: string; decision: string; permanent: boolean }> {
    const { args, flags } = await this.parse(P2PDeny)
    const loaded = await this.loadConfig(flags)
    const { callDaemon } = await import('../../src/p2p/control-client.js')
    const r = await callDaemon<{ machine_id: string; decision: string; permanent: boolean }>(loaded, 'POST', 'deny', { peer: args.peer })
    this.log(`Denied ${r.machine_id}`)
    return r
  }
}
