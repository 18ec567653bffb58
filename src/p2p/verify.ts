import { createHash } from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import { FabrikError } from '../errors/registry.js'

// Bytes from a peer are checked while they stream: counted and hashed against the size and SHA-256 the peer
// announced (and, for `cas`, against the key itself). The chunk that completes the range is held back until the
// check passes, so a reader never receives a complete entry whose bytes are wrong — it sees an error instead. The range a caller
// asked for (offset/length) is cut out of the verified whole.

export class VerifyingStream extends Transform {
  private readonly hash = createHash('sha256')
  private seen = 0
  private held: Buffer | undefined
  private readonly rangeEnd: number

  constructor(
    private readonly size: number,
    private readonly sha256: string,
    private readonly onFailure: (reason: 'size' | 'digest') => void,
    private readonly onVerified: (bytes: number) => void,
    private readonly offset = 0,
    length?: number,
  ) {
    super()
    this.rangeEnd = length === undefined ? size : Math.min(size, offset + length)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const start = this.seen
    this.seen += chunk.length
    if (this.seen > this.size) {
      this.onFailure('size')
      return cb(new FabrikError('SIZE_MISMATCH', `a peer sent more than the ${this.size} bytes it announced`))
    }
    this.hash.update(chunk)
    const from = Math.max(0, this.offset - start)
    const to = Math.min(chunk.length, this.rangeEnd - start)
    if (to <= from) return cb()
    // Only the piece that completes what the reader asked for waits for the check; earlier ones go on at once, so
    // the first byte of a large entry does not wait for a second message (bench:p2p, 64 MiB first byte).
    if (this.seen >= this.rangeEnd) this.held = chunk.subarray(from, to)
    else this.push(chunk.subarray(from, to))
    cb()
  }

  override _flush(cb: TransformCallback): void {
    if (this.seen !== this.size) {
      this.onFailure('size')
      return cb(new FabrikError('SIZE_MISMATCH', `a peer sent ${this.seen} of the ${this.size} bytes it announced`))
    }
    if (this.hash.digest('hex') !== this.sha256) {
      this.onFailure('digest')
      return cb(new FabrikError('DIGEST_MISMATCH', 'bytes from a peer do not match the SHA-256 it announced'))
    }
    if (this.held) this.push(this.held)
    this.onVerified(this.seen)
    cb()
  }
}
