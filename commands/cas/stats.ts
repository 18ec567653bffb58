import { StoreCommand, type NamespaceStats } from './_store.js'

export default class CasStats extends StoreCommand {
  static override summary = 'Show how many blobs and bytes the local cache holds'
  static override description = 'Figures for the "cas" namespace and for the whole local store (all tools).'
  static override enableJsonFlag = true

  async run(): Promise<NamespaceStats> {
    const { flags } = await this.parse(CasStats)
    return this.figures(flags, 'cas')
  }
}
