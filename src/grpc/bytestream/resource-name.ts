import { FabrikError } from '../../errors/registry.js'
import { isSha256 } from '../../store/keys.js'
import { parseSize } from '../digest.js'

// ByteStream resource names as REAPI defines them (client facts in docs/protocols: Bazel, Buck2, Pants):
//   read   [{instance}/]blobs/[{digest_function}/]{hash}/{size}
//          [{instance}/]compressed-blobs/zstd/[{digest_function}/]{hash}/{size}
//   write  [{instance}/]uploads/{uuid}/blobs/[{digest_function}/]{hash}/{size}[/{metadata...}]
//          [{instance}/]uploads/{uuid}/compressed-blobs/zstd/[{digest_function}/]{hash}/{size}[/{metadata...}]
// An instance segment can never be one of the keywords, so the first keyword ends the instance name. The digest
// function segment is accepted only as "sha256" (clients omit it for SHA-256, as the spec requires).

export type Compressor = 'identity' | 'zstd'

export interface BlobResource {
  instance: string
  hash: string
  size: number
  compressor: Compressor
}

export interface UploadResource extends BlobResource {
  uuid: string
}

function malformed(name: string, why: string): FabrikError {
  return new FabrikError('INVALID_REQUEST', `malformed resource name ${JSON.stringify(name.slice(0, 200))}: ${why}`)
}

/** Parses `blobs/...` or `compressed-blobs/zstd/...` starting at segs[at]; returns the digest and the next index. */
function parseBlobPart(name: string, segs: string[], at: number): { hash: string; size: number; compressor: Compressor; next: number } {
  let i = at
  let compressor: Compressor = 'identity'
  if (segs[i] === 'compressed-blobs') {
    const c = segs[i + 1]
    if (c !== 'zstd') throw malformed(name, `compressor ${JSON.stringify(c ?? '')} is not supported (zstd is)`)
    compressor = 'zstd'
    i += 2
  } else if (segs[i] === 'blobs') {
    i += 1
  } else {
    throw malformed(name, 'expected "blobs" or "compressed-blobs"')
  }
  if (segs[i] === 'sha256') i += 1
  const hash = segs[i] ?? ''
  const rawSize = segs[i + 1]
  if (!isSha256(hash)) throw malformed(name, `${JSON.stringify(hash.slice(0, 80))} is not a lowercase SHA-256 hex digest`)
  if (rawSize === undefined) throw malformed(name, 'the size is missing')
  const size = (() => {
    try {
      return parseSize(rawSize, 'resource name')
    } catch {
      throw malformed(name, `${JSON.stringify(rawSize.slice(0, 40))} is not a size`)
    }
  })()
  return { hash, size, compressor, next: i + 2 }
}

export function parseReadResource(name: string): BlobResource {
  const segs = name.split('/')
  const at = segs.findIndex((s) => s === 'blobs' || s === 'compressed-blobs')
  if (at < 0) throw malformed(name, 'no "blobs" or "compressed-blobs" segment')
  const blob = parseBlobPart(name, segs, at)
  if (blob.next !== segs.length) throw malformed(name, 'unexpected segments after the size')
  return { instance: segs.slice(0, at).join('/'), hash: blob.hash, size: blob.size, compressor: blob.compressor }
}

export function parseWriteResource(name: string): UploadResource {
  const segs = name.split('/')
  const at = segs.indexOf('uploads')
  if (at < 0) throw malformed(name, 'no "uploads" segment')
  const uuid = segs[at + 1] ?? ''
  if (uuid === '' || uuid === 'blobs' || uuid === 'compressed-blobs') throw malformed(name, 'the upload id is missing')
  // Anything after the size is optional metadata the spec lets servers ignore.
  const blob = parseBlobPart(name, segs, at + 2)
  return { instance: segs.slice(0, at).join('/'), uuid, hash: blob.hash, size: blob.size, compressor: blob.compressor }
}

const KEYWORDS = new Set(['uploads', 'blobs', 'compressed-blobs'])

/** The instance name a resource name starts with, or undefined when it has no keyword (the handler refuses it). */
export function resourceInstance(name: string): string | undefined {
  const segs = name.split('/')
  const at = segs.findIndex((s) => KEYWORDS.has(s))
  return at < 0 ? undefined : segs.slice(0, at).join('/')
}
