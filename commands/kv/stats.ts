import { StoreCommand, type NamespaceStats } from '../cas/_store.js'

export default class KvStats extends StoreCommand {
  static override summary = 'Show how many keys and bytes the local cache holds'
  static override description = 'Figures for the "kv" namespace and for the whole local store (all tools).'
  static override enableJsonFlag = true

  async run(): Promise<NamespaceStats> {
    const { flags } = await this.parse(KvStats)
    return this.figures(flags, 'kv')
  }
}
