import { isUtf8 } from 'node:buffer'
import { Args, Flags } from '@oclif/core'
import { StoreCommand, entryInfo, type EntryInfo } from '../cas/_store.js'

export default class KvGet extends StoreCommand {
  static override summary = 'Print the value stored under a key'
  static override description =
    'Writes the value to stdout (or to -o FILE). Exits 66 when the key is not cached. With --json and no -o the ' +
    'value is included as text, or base64 (encoding: "base64") when it is not valid UTF-8.'
  static override examples = ['<%= config.bin %> kv get build-id', '<%= config.bin %> kv get report -o report.json']
  static override enableJsonFlag = true
  static override args = { key: Args.string({ ignoreStdin: true, description: 'Key', required: true }) }
  static override flags = { output: Flags.string({ char: 'o', description: 'Write to this file instead of stdout' }) }

  async run(): Promise<EntryInfo & { output?: string; value?: string; encoding?: 'utf8' | 'base64' }> {
    const { args, flags } = await this.parse(KvGet)
    if (!this.jsonEnabled() || flags.output !== undefined) {
      const info = await this.withStore(flags, (s) => this.copyOut(s, 'kv', args.key, flags.output))
      return flags.output === undefined ? info : { ...info, output: flags.output }
    }
    return this.withStore(flags, async (s) => {
      const got = await s.get('kv', args.key)
      if (!got) throw this.notFound('kv', args.key)
      const chunks: Buffer[] = []
      for await (const c of got.stream) chunks.push(c as Buffer)
      const value = Buffer.concat(chunks)
      const text = isUtf8(value)
      return { ...entryInfo(args.key, got), value: value.toString(text ? 'utf8' : 'base64'), encoding: text ? 'utf8' : 'base64' }
    })
  }
}
