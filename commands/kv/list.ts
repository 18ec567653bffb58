import { StoreCommand, listFlags, type EntryInfo } from '../cas/_store.js'

export default class KvList extends StoreCommand {
  static override summary = 'List keys in the local cache'
  static override description = 'One line per key: key, size in bytes, last access. Sorted by key.'
  static override enableJsonFlag = true
  static override flags = listFlags

  async run(): Promise<{ entries: EntryInfo[]; truncated: boolean }> {
    const { flags } = await this.parse(KvList)
    return this.listing(flags, 'kv')
  }
}
