import { createHmac, createPublicKey, hkdfSync, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto'
import { fingerprintOfPublicKey } from './identity.js'

// Request authentication (docs/p2p.md). Upstream signed only "<hash>:<unix secs>": any captured request replayed
// to any peer, as any method, under any requester id, for five minutes. Here every call carries:
//  - an HMAC keyed from the team secret (HKDF, never the raw secret) over a canonical string of the method,
//    the key(s), the target peer's fingerprint, the sender's machine id and fingerprint, a timestamp in ms and
//    a 128-bit nonce — proves membership of the team;
//  - the sender's ECDSA signature over the same string, with its public key — proves which member sent it
//    (the fingerprint consent pins).
// The receiver checks, in order: fields present, target is itself, clock window, HMAC (constant time), signature,
// and the nonce last, so unauthenticated traffic can never fill the nonce cache.

export const CLOCK_WINDOW_MS = 30_000

export const META = {
  sender: 'x-fabrik-p2p-sender',
  target: 'x-fabrik-p2p-target',
  timestamp: 'x-fabrik-p2p-ts',
  nonce: 'x-fabrik-p2p-nonce',
  mac: 'x-fabrik-p2p-mac',
  publicKey: 'x-fabrik-p2p-key',
  signature: 'x-fabrik-p2p-sig',
} as const

export type AuthFailure = 'missing' | 'target' | 'clock' | 'mac' | 'signature' | 'replay'

export interface SignedFields {
  /** gRPC method path, e.g. /fabrik.p2p.v1.P2PCache/Get. */
  method: string
  /** "<namespace>/<key>" per key, plus anything else the call depends on (Get's offset, Hello's challenge). */
  subjects: string[]
  /** The receiving peer's fingerprint. */
  target: string
  /** The sender's machine id. */
  sender: string
  timestamp: number
  nonce: string
}

export interface SignedHeaders {
  sender: string
  target: string
  timestamp: string
  nonce: string
  mac: string
  publicKey: string
  signature: string
}

export function requestKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', 'fabrik-p2p-v1 request', 32))
}

export function helloKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', 'fabrik-p2p-v1 hello proof', 32))
}

/** JSON of an array: unambiguous whatever the fields contain. */
export function canonical(f: SignedFields, senderFingerprint: string): string {
  return JSON.stringify(['fabrik-p2p-v1', f.method, f.target, f.sender, senderFingerprint, String(f.timestamp), f.nonce, f.subjects])
}

export class RequestSigner {
  constructor(
    private readonly key: Buffer,
    private readonly machineId: string,
    private readonly privateKey: KeyObject,
    private readonly publicKeyDer: Buffer,
    private readonly fingerprint: string,
  ) {}

  sign(method: string, subjects: string[], target: string, now = Date.now()): SignedHeaders {
    const fields: SignedFields = { method, subjects, target, sender: this.machineId, timestamp: now, nonce: randomBytes(16).toString('hex') }
    const text = canonical(fields, this.fingerprint)
    return {
      sender: this.machineId,
      target,
      timestamp: String(now),
      nonce: fields.nonce,
      mac: createHmac('sha256', this.key).update(text).digest('hex'),
      publicKey: this.publicKeyDer.toString('base64'),
      signature: sign('sha256', Buffer.from(text), this.privateKey).toString('base64'),
    }
  }
}

/** Nonces seen within 2× the clock window; anything older is refused by the clock check anyway. */
export class NonceCache {
  private readonly seen = new Map<string, number>()

  constructor(private readonly ttlMs = 2 * CLOCK_WINDOW_MS, private readonly maxEntries = 200_000) {}

  /** True if new (and now remembered), false if seen before or the cache is full of live nonces. */
  remember(nonce: string, now = Date.now()): boolean {
    // Insertion order is arrival order, so expired entries are at the front.
    for (const [n, expires] of this.seen) {
      if (expires > now) break
      this.seen.delete(n)
    }
    if (this.seen.has(nonce) || this.seen.size >= this.maxEntries) return false
    this.seen.set(nonce, now + this.ttlMs)
    return true
  }

  get size(): number {
    return this.seen.size
  }
}

export type Verified = { ok: true; sender: string; fingerprint: string } | { ok: false; reason: AuthFailure }

const HEX64 = /^[0-9a-f]{64}$/
/** A team's daemons: far more than one LAN holds; the oldest key goes first. */
const MAX_CACHED_KEYS = 256
const NONCE = /^[0-9a-f]{32}$/

export class RequestVerifier {
  private readonly nonces: NonceCache
  /**
   * Parsed keys by their base64 DER: parsing one took 160 µs, nearly three times the ECDSA check itself, on every
   * request of a peer that sends the same key each time. Only keys whose MAC checked out get here.
   */
  private readonly keys = new Map<string, KeyObject>()

  constructor(
    private readonly key: Buffer,
    /** This daemon's fingerprint: requests aimed at another peer are refused. */
    private readonly self: string,
    private readonly windowMs = CLOCK_WINDOW_MS,
  ) {
    this.nonces = new NonceCache(2 * windowMs)
  }

  private publicKey(b64: string, der: Buffer): KeyObject {
    let key = this.keys.get(b64)
    if (key === undefined) {
      key = createPublicKey({ key: der, format: 'der', type: 'spki' })
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.delete(this.keys.keys().next().value!)
      this.keys.set(b64, key)
    }
    return key
  }

  verify(method: string, subjects: string[], h: Partial<SignedHeaders>, now = Date.now()): Verified {
    const { sender, target, timestamp, nonce, mac, publicKey, signature } = h
    if (!sender || !target || !timestamp || !nonce || !mac || !publicKey || !signature) return { ok: false, reason: 'missing' }
    if (!HEX64.test(mac) || !NONCE.test(nonce) || !/^\d{1,16}$/.test(timestamp) || sender.length > 128) return { ok: false, reason: 'missing' }
    if (target !== this.self) return { ok: false, reason: 'target' }
    const ts = Number(timestamp)
    if (Math.abs(now - ts) > this.windowMs) return { ok: false, reason: 'clock' }
    const keyDer = Buffer.from(publicKey, 'base64')
    const fingerprint = fingerprintOfPublicKey(keyDer)
    const text = canonical({ method, subjects, target, sender, timestamp: ts, nonce }, fingerprint)
    const expected = createHmac('sha256', this.key).update(text).digest()
    const got = Buffer.from(mac, 'hex')
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { ok: false, reason: 'mac' }
    try {
      const pub = this.publicKey(publicKey, keyDer)
      if (!verify('sha256', Buffer.from(text), pub, Buffer.from(signature, 'base64'))) return { ok: false, reason: 'signature' }
    } catch {
      return { ok: false, reason: 'signature' }
    }
    if (!this.nonces.remember(nonce, now)) return { ok: false, reason: 'replay' }
    return { ok: true, sender, fingerprint }
  }
}

/** The Hello proof: the responder shows it holds the secret, bound to this challenge and both parties. */
export function helloProof(key: Buffer, challenge: string, responder: string, caller: string): string {
  return createHmac('sha256', key).update(JSON.stringify(['hello-proof', challenge, responder, caller])).digest('hex')
}

export function proofMatches(key: Buffer, proof: string, challenge: string, responder: string, caller: string): boolean {
  const expected = Buffer.from(helloProof(key, challenge, responder, caller), 'hex')
  const got = Buffer.from(/^[0-9a-f]{64}$/.test(proof) ? proof : '', 'hex')
  return got.length === expected.length && timingSafeEqual(got, expected)
}
