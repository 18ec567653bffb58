import { Args } from '@oclif/core'
import { StoreCommand } from '../cas/_store.js'

export default class KvExists extends StoreCommand {
  static override summary = 'Tell whether a key is in the local cache'
  static override description =
    'Exit status 0 when the key is cached, 1 when it is not (also with --json, which prints {"exists": …}).'
  static override examples = ['if <%= config.bin %> kv exists build-id; then echo cached; fi']
  static override enableJsonFlag = true
  static override args = { key: Args.string({ ignoreStdin: true, description: 'Key', required: true }) }

  async run(): Promise<{ key: string; exists: boolean }> {
    const { args, flags } = await this.parse(KvExists)
    return this.exists(flags, 'kv', args.key)
  }
}
