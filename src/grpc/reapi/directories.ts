import type { Directory__Output } from '../../generated/build/bazel/remote/execution/v2/Directory.js'
import type { BlobStore } from '../../store/types.js'
import { MESSAGES, decodeMessage } from '../codec.js'
import { NS } from '../context.js'
import type { BlobDigest } from '../digest.js'
import { readResult } from '../../store/result.js'

/**
 * Reads and decodes a Directory (or Tree) message stored in the CAS; undefined when it is not there. A reference
 * read: what the client asked for is the action result or the tree, not each message (GetOptions.reference).
 */
export async function loadMessage<T>(store: BlobStore, name: string, d: BlobDigest): Promise<T | undefined> {
  const got = await store.get(NS.cas, d.hash, { reference: true })
  if (!got) return undefined
  if (got.size !== d.size) {
    got.stream.destroy()
    return undefined
  }
  return decodeMessage<T>(name, await readResult(got))
}

export function loadDirectory(store: BlobStore, d: BlobDigest): Promise<Directory__Output | undefined> {
  return loadMessage<Directory__Output>(store, MESSAGES.directory, d)
}
