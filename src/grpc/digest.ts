import { FabrikError } from '../errors/registry.js'
import { EMPTY_SHA256, isSha256 } from '../store/keys.js'
import type { Digest, Digest__Output } from '../generated/build/bazel/remote/execution/v2/Digest.js'

// REAPI digests are {hash, size_bytes}. Only SHA-256 is served (it is the one function every client supports and
// the one the shared "cas" namespace is keyed by), so a hash must be 64 lowercase hex characters.

export interface BlobDigest {
  hash: string
  size: number
}

export function parseSize(raw: string | number, what: string): number {
  const size = typeof raw === 'number' ? raw : /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new FabrikError('INVALID_REQUEST', `${what}: size ${JSON.stringify(String(raw))} is not a byte count`)
  }
  return size
}

export function parseDigest(d: Digest__Output | null | undefined, what = 'digest'): BlobDigest {
  if (!d) throw new FabrikError('INVALID_REQUEST', `${what} is missing`)
  if (!isSha256(d.hash)) {
    throw new FabrikError('INVALID_DIGEST', `${what}: ${JSON.stringify(d.hash.slice(0, 80))} is not a lowercase SHA-256 hex digest`)
  }
  return { hash: d.hash, size: parseSize(d.size_bytes, what) }
}

/** REAPI: "Servers MUST behave as though empty blobs are always available, even if they have not been uploaded." */
export function isEmptyBlob(d: BlobDigest): boolean {
  return d.size === 0 && d.hash === EMPTY_SHA256
}

/** The digest_function request field: unset (inferred from the hash length) or SHA256. */
export function checkDigestFunction(value: string | undefined): void {
  if (value === undefined || value === '' || value === 'UNKNOWN' || value === 'SHA256') return
  throw new FabrikError('INVALID_REQUEST', `digest function ${value} is not supported; this cache serves SHA256`)
}

export function toProtoDigest(d: BlobDigest): Digest {
  return { hash: d.hash, size_bytes: String(d.size) }
}

export function digestKey(d: BlobDigest): string {
  return `${d.hash}/${d.size}`
}
