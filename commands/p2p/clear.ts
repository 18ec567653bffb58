import { Flags } from '@oclif/core'
import { FabrikCommand } from '../_base.js'

export default class P2PClear extends FabrikCommand {
  static override summary = 'Forget every consent decision (saved and for this session)'
  static override enableJsonFlag = true
  static override flags = { force: Flags.boolean({ char: 'f', description: 'Accepted for compatibility with upstream; nothing is asked' }) }

  async run(): Promise<{ cleared: boolean }> {
    const { flags } = await this.parse(P2PClear)
    const loaded = await this.loadConfig(flags)
    const { callDaemon } = await import('../../src/p2p/control-client.js')
    const r = await callDaemon<{ cleared: boolean }>(loaded, 'POST', 'clear', {})
    this.log('Cleared every P2P consent decision.')
    return r
  }
}
