import { Args } from '@oclif/core'
import { StoreCommand } from '../cas/_store.js'

export default class KvDelete extends StoreCommand {
  static override summary = 'Remove a key from the local cache'
  static override description = 'Exits 66 when the key was not cached.'
  static override enableJsonFlag = true
  static override args = { key: Args.string({ ignoreStdin: true, description: 'Key', required: true }) }

  async run(): Promise<{ key: string; deleted: true }> {
    const { args, flags } = await this.parse(KvDelete)
    return this.remove(flags, 'kv', args.key)
  }
}
