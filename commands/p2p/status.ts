import { FabrikCommand } from '../_base.js'
import type { P2PStatus } from '../../src/p2p/control.js'

export default class P2PStatusCommand extends FabrikCommand {
  static override summary = "Show the running daemon's P2P identity, addresses and consent mode"
  static override enableJsonFlag = true

  async run(): Promise<P2PStatus> {
    const { flags } = await this.parse(P2PStatusCommand)
    const loaded = await this.loadConfig(flags)
    const { callDaemon } = await import('../../src/p2p/control-client.js')
    const s = await callDaemon<P2PStatus>(loaded, 'GET', 'status')
    this.log(`P2P on ${s.addresses.map((a) => `${a}:${s.port}`).join(', ') || '(no LAN address)'} as ${s.instance ?? s.hostname}`)
    this.log(`  machine id   ${s.machine_id}`)
    this.log(`  fingerprint  ${s.fingerprint}`)
    this.log(`  consent      ${s.consent_mode}`)
    this.log(`  peers        ${s.live_peers} live of ${s.peers}, ${s.pending} pending`)
    return s
  }
}
