import { FabrikCommand } from '../_base.js'
import type { PeerView } from '../../src/p2p/control.js'

export default class P2PList extends FabrikCommand {
  static override summary = 'List the P2P peers the running daemon knows'
  static override description = 'Peers found on the LAN or that asked this daemon: address, consent, last seen, latency, bytes exchanged.'
  static override examples = ['<%= config.bin %> p2p list', '<%= config.bin %> p2p list --json']
  static override enableJsonFlag = true

  async run(): Promise<PeerView[]> {
    const { flags } = await this.parse(P2PList)
    const loaded = await this.loadConfig(flags)
    const { callDaemon } = await import('../../src/p2p/control-client.js')
    const peers = await callDaemon<PeerView[]>(loaded, 'GET', 'peers')
    if (peers.length === 0) this.log('No peers yet.')
    for (const p of peers) {
      const seen = p.last_seen ? `seen ${p.last_seen}` : 'never seen'
      const latency = p.latency_ms === null ? '' : ` ${p.latency_ms} ms`
      this.log(`${p.hostname || '?'}  ${p.machine_id}  ${p.address}${p.port ? ':' + p.port : ''}  ${p.alive ? 'live' : 'down'}${latency}  consent ${p.consent}${p.permanent ? ' (saved)' : ''}  they: ${p.their_consent ?? '-'}  ${seen}  ↓${p.bytes_downloaded} ↑${p.bytes_uploaded}`)
    }
    return peers
  }
}
