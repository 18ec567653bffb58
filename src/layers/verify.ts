import { createHash, type Hash } from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import { FabrikError } from '../errors/registry.js'
import { isSha256 } from '../store/keys.js'

/** What an entry from a slower layer must turn out to be. */
export interface Expected {
  size: number
  sha256: string
}

/** Namespaces whose keys are the SHA-256 of their bytes: a layer's answer is checked against the key itself. */
export function isContentAddressed(ns: string): boolean {
  return ns === 'cas' || ns === 'xcode-cas'
}

/**
 * What a layer's answer claims, checked before a byte is read: a recorded SHA-256 that is well formed and, for
 * content-addressed keys, the key itself. Returns why not, or undefined.
 */
export function implausible(ns: string, key: string, claimed: Expected): string | undefined {
  if (!Number.isSafeInteger(claimed.size) || claimed.size < 0) return `no valid size (${claimed.size})`
  if (!isSha256(claimed.sha256)) return 'no SHA-256 recorded with the entry'
  if (isContentAddressed(ns) && claimed.sha256 !== key) return `recorded SHA-256 ${claimed.sha256} is not the key`
  return undefined
}

/**
 * Passes bytes through while hashing and counting them, and holds back the chunk that completes the body until
 * the end proves the whole body right: a reader of this stream never receives a complete body that is wrong. Fails (and so truncates
 * what readers got) on too many bytes at once, on too few or a wrong hash at the end, and on `idleMs` of silence.
 */
export class Verifier extends Transform {
  private readonly hash: Hash = createHash('sha256')
  private received = 0
  private held: Buffer | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly expected: Expected, private readonly idleMs: number, private readonly onIdle: () => void) {
    super()
    this.arm()
  }

  private arm(): void {
    if (this.timer) this.timer.refresh()
    else this.timer = setTimeout(() => {
      this.onIdle()
      this.destroy(new FabrikError('UNAVAILABLE', `the layer sent nothing for ${this.idleMs} ms`))
    }, this.idleMs)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.arm()
    this.received += chunk.length
    if (this.received > this.expected.size) {
      cb(new FabrikError('SIZE_MISMATCH', `more than the recorded ${this.expected.size} bytes`))
      return
    }
    this.hash.update(chunk)
    // Only the chunk that completes the body waits for the check; earlier ones go on at once (first byte).
    if (this.received < this.expected.size) return cb(null, chunk)
    this.held = chunk
    cb()
  }

  override _flush(cb: TransformCallback): void {
    clearTimeout(this.timer)
    if (this.received !== this.expected.size) {
      cb(new FabrikError('SIZE_MISMATCH', `${this.received} bytes, ${this.expected.size} recorded`))
      return
    }
    const sha = this.hash.digest('hex')
    if (sha !== this.expected.sha256) {
      cb(new FabrikError('DIGEST_MISMATCH', `bytes hash to ${sha}, ${this.expected.sha256} recorded`))
      return
    }
    cb(null, this.held)
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    clearTimeout(this.timer)
    cb(err)
  }
}
