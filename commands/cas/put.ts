import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { Args } from '@oclif/core'
import { FabrikError } from '../../src/errors/registry.js'
import { StoreCommand } from './_store.js'

export default class CasPut extends StoreCommand {
  static override summary = 'Store a file in the local cache under its SHA-256 and print the hash'
  static override description =
    'Hashes FILE, then stores it in the "cas" namespace keyed by that hash; the store verifies the bytes against ' +
    'it while writing. Storing a file that is already present changes nothing (created: false).'
  static override examples = ['<%= config.bin %> cas put build/output.tar', 'HASH=$(<%= config.bin %> cas put out.bin)']
  static override enableJsonFlag = true
  static override args = { file: Args.string({ ignoreStdin: true, description: 'File to store', required: true }) }

  async run(): Promise<{ hash: string; size: number; created: boolean }> {
    const { args, flags } = await this.parse(CasPut)
    const { size } = await stat(args.file).catch((err: Error) => {
      throw new FabrikError('USAGE', `cannot read ${args.file}: ${err.message}`, { fix: 'Pass the path of a readable file.' })
    })
    const hash = createHash('sha256')
    await pipeline(createReadStream(args.file), hash)
    const sha256 = hash.digest('hex')
    // A file that changes between the two reads fails with DIGEST_MISMATCH: nothing half-right is stored.
    const put = await this.withStore(flags, (s) => s.put('cas', sha256, createReadStream(args.file), { sha256, size }))
    this.log(sha256)
    return { hash: sha256, size: put.size, created: put.created }
  }
}
