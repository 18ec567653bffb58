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

/** How a Verifier reports and what part of the entry it hands on. */
export interface VerifyOptions {
  /** Who sends the bytes, as errors name it. Default "the layer". */
  from?: string
  /** Only bytes [offset, offset + length) go on; every byte is still counted and hashed. Default: the whole entry. */
  offset?: number
  length?: number
  /** Fails after this many ms without a chunk, calling onIdle first. Default: no limit. */
  idleMs?: number
  onIdle?: () => void
  /**
   * The sender has checked the digest already (a layer with `checksDigests`): count, hold back and check the size,
   * but do not hash every byte a second time.
   */
  digestChecked?: boolean
  /** Called once when the bytes turn out wrong: too many or too few ('size'), or another hash ('digest'). */
  onFailure?: (reason: 'size' | 'digest') => void
  /** Called with the entry's size once all of it is verified. */
  onVerified?: (bytes: number) => void
}

/**
 * Passes an entry's bytes through while counting and hashing them, and holds back the piece that completes what
 * the reader asked for until the end proves the whole entry right: a reader never receives a complete body (or
 * range) that is wrong, it sees an error instead. Earlier pieces go on at once, so a large entry's first byte
 * does not wait for the rest (bench:p2p, bench:layers). The chain checks every slower layer's answer this way;
 * the P2P layer checks a peer's, and cuts the range a caller asked for out of the verified whole.
 */
export class Verifier extends Transform {
  private readonly hash: Hash | undefined
  private readonly from: string
  private readonly offset: number
  private readonly rangeEnd: number
  private received = 0
  private held: Buffer | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly expected: Expected, private readonly o: VerifyOptions = {}) {
    super()
    this.hash = o.digestChecked ? undefined : createHash('sha256')
    this.from = o.from ?? 'the layer'
    this.offset = o.offset ?? 0
    this.rangeEnd = o.length === undefined ? expected.size : Math.min(expected.size, this.offset + o.length)
    this.arm()
  }

  private arm(): void {
    const ms = this.o.idleMs
    if (ms === undefined) return
    if (this.timer) this.timer.refresh()
    else this.timer = setTimeout(() => {
      this.o.onIdle?.()
      this.destroy(new FabrikError('UNAVAILABLE', `${this.from} sent nothing for ${ms} ms`))
    }, ms)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.arm()
    const start = this.received
    this.received += chunk.length
    if (this.received > this.expected.size) {
      this.o.onFailure?.('size')
      cb(new FabrikError('SIZE_MISMATCH', `${this.from} sent more than the ${this.expected.size} bytes recorded`))
      return
    }
    this.hash?.update(chunk)
    const from = Math.max(0, this.offset - start)
    const to = Math.min(chunk.length, this.rangeEnd - start)
    if (to <= from) return cb()
    const piece = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to)
    if (this.received >= this.rangeEnd) this.held = piece
    else this.push(piece)
    cb()
  }

  override _flush(cb: TransformCallback): void {
    clearTimeout(this.timer)
    if (this.received !== this.expected.size) {
      this.o.onFailure?.('size')
      cb(new FabrikError('SIZE_MISMATCH', `${this.from} sent ${this.received} of the ${this.expected.size} bytes recorded`))
      return
    }
    const sha = this.hash ? this.hash.digest('hex') : this.expected.sha256
    if (sha !== this.expected.sha256) {
      this.o.onFailure?.('digest')
      cb(new FabrikError('DIGEST_MISMATCH', `bytes from ${this.from} do not match the SHA-256 recorded: they hash to ${sha}, ${this.expected.sha256} recorded`))
      return
    }
    if (this.held) this.push(this.held)
    this.o.onVerified?.(this.received)
    cb()
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    clearTimeout(this.timer)
    cb(err)
  }
}
