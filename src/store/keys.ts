import { FabrikError } from '../errors/registry.js'

// Keys become parts of file names and SQL rows; anything that could walk the tree or collide is refused.
const KEY_RE = /^[A-Za-z0-9._-]{1,256}$/
const NS_RE = /^[A-Za-z0-9._:-]{1,128}$/
const SHA256_RE = /^[0-9a-f]{64}$/

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export function validateKey(key: string): string {
  if (!KEY_RE.test(key) || key === '.' || key === '..' || key.includes('..')) {
    throw new FabrikError('INVALID_KEY', `invalid cache key ${JSON.stringify(key.slice(0, 80))}`)
  }
  return key
}

export function validateNamespace(ns: string): string {
  if (!NS_RE.test(ns) || ns.includes('..')) {
    throw new FabrikError('INVALID_NAMESPACE', `invalid namespace ${JSON.stringify(ns.slice(0, 80))}`)
  }
  return ns
}

export function isSha256(hex: string): boolean {
  return SHA256_RE.test(hex)
}

export function validateSha256(hex: string): string {
  if (!SHA256_RE.test(hex)) {
    throw new FabrikError('INVALID_DIGEST', `not a SHA-256 hex digest: ${JSON.stringify(hex.slice(0, 80))}`)
  }
  return hex
}
