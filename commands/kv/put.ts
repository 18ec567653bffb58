import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { Args, Flags } from '@oclif/core'
import { FabrikError } from '../../src/errors/registry.js'
import { StoreCommand } from '../cas/_store.js'

export default class KvPut extends StoreCommand {
  static override summary = 'Store a value under a key in the local cache'
  static override description =
    'The value comes from the VALUE argument, from --file, or from stdin when neither is given. ' +
    'An existing value under the key is replaced. Keys: 1-256 characters from [A-Za-z0-9._-].'
  static override examples = [
    '<%= config.bin %> kv put build-id 1234',
    '<%= config.bin %> kv put report --file report.json',
    'git rev-parse HEAD | <%= config.bin %> kv put last-commit',
  ]
  static override enableJsonFlag = true
  static override args = {
    // ignoreStdin: oclif would otherwise read a piped stdin as text lines into a missing argument (trimmed, not
    // binary-safe); the value on stdin is streamed to the store byte for byte instead.
    key: Args.string({ ignoreStdin: true, description: 'Key', required: true }),
    value: Args.string({ ignoreStdin: true, description: 'Value (default: --file or stdin)' }),
  }
  static override flags = { file: Flags.string({ char: 'f', description: 'Read the value from this file' }) }

  async run(): Promise<{ key: string; size: number; sha256: string }> {
    const { args, flags } = await this.parse(KvPut)
    if (args.value !== undefined && flags.file !== undefined) {
      throw new FabrikError('USAGE', 'give the value either as an argument or with --file, not both')
    }
    let body: Buffer | Readable
    let size: number | undefined
    if (args.value !== undefined) body = Buffer.from(args.value)
    else if (flags.file !== undefined) {
      size = (
        await stat(flags.file).catch((err: Error) => {
          throw new FabrikError('USAGE', `cannot read ${flags.file}: ${err.message}`, { fix: 'Pass the path of a readable file.' })
        })
      ).size
      body = createReadStream(flags.file)
    } else if (process.stdin.isTTY) {
      throw new FabrikError('USAGE', 'no value: pass it as an argument, with --file, or on stdin')
    } else body = process.stdin
    const put = await this.withStore(flags, (s) =>
      s.put('kv', args.key, body, size === undefined ? {} : { size }),
    )
    this.log(`stored ${args.key} (${put.size} bytes)`)
    return { key: args.key, size: put.size, sha256: put.sha256 }
  }
}
