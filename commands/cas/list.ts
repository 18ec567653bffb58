import { StoreCommand, listFlags, type EntryInfo } from './_store.js'

export default class CasList extends StoreCommand {
  static override summary = 'List blobs in the local cache'
  static override description = 'One line per blob: hash, size in bytes, last access. Sorted by hash.'
  static override enableJsonFlag = true
  static override flags = listFlags

  async run(): Promise<{ entries: EntryInfo[]; truncated: boolean }> {
    const { flags } = await this.parse(CasList)
    return this.listing(flags, 'cas')
  }
}
