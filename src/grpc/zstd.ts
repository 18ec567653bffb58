import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CompressStream, DecompressStream, compress } from 'zstd-napi'
import { FabrikError, isFabrikError } from '../errors/registry.js'

// REAPI `compressed-blobs/zstd/...` and ZSTD batch entries. Node 20's zlib has no zstd, so zstd-napi's streaming
// transforms do the work and bytes flow through without the blob ever being whole in memory.

function decodeFailure(err: unknown): FabrikError {
  if (isFabrikError(err)) return err
  const e = err as NodeJS.ErrnoException
  if (e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.name === 'AbortError') {
    return new FabrikError('ABORTED', 'the compressed upload ended early', { cause: err })
  }
  return new FabrikError('INVALID_REQUEST', `zstd data could not be decompressed: ${e?.message ?? String(err)}`, { cause: err })
}

/**
 * Decompresses `source` as it is read. A corrupt frame surfaces as INVALID_REQUEST (→ INVALID_ARGUMENT) before
 * it reaches the store, which would otherwise report a foreign error as an I/O failure; a FabrikError thrown by
 * the source itself (e.g. a bad write_offset) passes through unchanged.
 */
export function zstdDecode(source: Readable): Readable {
  const decoder = new DecompressStream()
  pipeline(source, decoder).catch(() => undefined) // the same error reaches the loop below
  async function* decoded(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of decoder) yield chunk as Buffer
    } catch (err) {
      throw decodeFailure(err)
    }
  }
  return Readable.from(decoded(), { objectMode: false })
}

/** Compresses `source` as it is read; errors from the source reach the consumer. */
export function zstdEncode(source: Readable): Readable {
  const encoder = new CompressStream()
  pipeline(source, encoder).catch(() => undefined)
  return encoder
}

export function zstdCompressBuffer(data: Buffer): Buffer {
  return compress(data)
}
