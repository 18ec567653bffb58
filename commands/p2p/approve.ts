import { Args, Flags } from '@oclif/core'
import { FabrikCommand } from '../_base.js'

export default class P2PApprove extends FabrikCommand {
  static override summary = 'Let a peer read this cache'
  static override description = 'Takes effect at once in the running daemon. Without --permanent the approval lasts until the daemon stops.'
  static override examples = ['<%= config.bin %> p2p approve alice-laptop', '<%= config.bin %> p2p approve 4c4c4544-... --permanent']
  static override enableJsonFlag = true
  static override args = { peer: Args.string({ description: 'Machine id or hostname (or a unique prefix)', required: true }) }
  static override flags = { permanent: Flags.boolean({ char: 'p', description: 'Save the approval in consents.json' }) }

  async run(): Promise<{ machine_id: string; decision: string; permanent: boolean }> {
    const { args, flags } = await this.parse(P2PApprove)
    const loaded = await this.loadConfig(flags)
    const { callDaemon } = await import('../../src/p2p/control-client.js')
    const r = await callDaemon<{ machine_id: string; decision: string; permanent: boolean }>(loaded, 'POST', 'approve', { peer: args.peer, permanent: flags.permanent })
    this.log(`Approved ${r.machine_id}${r.permanent ? ' (saved)' : ' (until the daemon stops)'}`)
    return r
  }
}
