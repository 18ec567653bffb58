import type { ActionResult__Output } from '../../generated/build/bazel/remote/execution/v2/ActionResult.js'
import type { Digest__Output } from '../../generated/build/bazel/remote/execution/v2/Digest.js'
import type { Directory__Output } from '../../generated/build/bazel/remote/execution/v2/Directory.js'
import type { Tree__Output } from '../../generated/build/bazel/remote/execution/v2/Tree.js'
import { isFabrikError } from '../../errors/registry.js'
import type { BlobStore } from '../../store/types.js'
import { MESSAGES } from '../codec.js'
import { NS } from '../context.js'
import { digestKey, isEmptyBlob, parseDigest, type BlobDigest } from '../digest.js'
import { mapLimit } from '../pool.js'
import { loadDirectory, loadMessage } from './directories.js'

// An ActionResult is only served when everything it points at is in the CAS: output files, the files inside
// output directories (via their Tree, or their Directory hierarchy), stdout and stderr. Otherwise Bazel takes the
// hit, later fails to download a blob and aborts the build with "missing digest" (NativeLink #1943).

class Collector {
  readonly wanted = new Map<string, BlobDigest>()
  readonly problems: string[] = []

  add(raw: Digest__Output | null | undefined, what: string): BlobDigest | undefined {
    if (!raw) return undefined
    try {
      const d = parseDigest(raw, what)
      if (!isEmptyBlob(d)) this.wanted.set(d.hash, d)
      return d
    } catch (err) {
      if (!isFabrikError(err)) throw err
      this.problems.push(`${what}: ${err.message}`)
      return undefined
    }
  }

  files(dir: Directory__Output, where: string): void {
    for (const f of dir.files) this.add(f.digest, `${where}/${f.name}`)
  }
}

async function walkTree(store: BlobStore, c: Collector, d: BlobDigest, path: string): Promise<void> {
  const tree = await loadMessage<Tree__Output>(store, MESSAGES.tree, d)
  if (!tree) {
    c.problems.push(`tree of ${path} (${digestKey(d)}) is missing`)
    return
  }
  if (tree.root) c.files(tree.root, path)
  for (const child of tree.children) c.files(child, path)
}

/** DIRECTORY_ONLY outputs: a root Directory whose subdirectories are stored one by one. */
async function walkDirectories(store: BlobStore, c: Collector, root: BlobDigest, path: string): Promise<void> {
  const queue = [root]
  const seen = new Set([root.hash])
  for (let i = 0; i < queue.length; i++) {
    const d = queue[i] as BlobDigest
    const dir = await loadDirectory(store, d)
    if (!dir) {
      c.problems.push(`directory ${digestKey(d)} under ${path} is missing`)
      continue
    }
    c.files(dir, path)
    for (const sub of dir.directories) {
      const s = c.add(sub.digest, `${path}/${sub.name}`)
      if (s && !seen.has(s.hash)) {
        seen.add(s.hash)
        queue.push(s)
      }
    }
  }
}

/** Describes every blob the result references that the CAS lacks; empty when the result can be served. */
export async function missingReferences(store: BlobStore, result: ActionResult__Output): Promise<string[]> {
  const c = new Collector()
  for (const f of result.output_files) c.add(f.digest, f.path)
  c.add(result.stdout_digest, 'stdout')
  c.add(result.stderr_digest, 'stderr')
  for (const od of result.output_directories) {
    const tree = c.add(od.tree_digest, `${od.path} (tree)`)
    const root = od.root_directory_digest ? c.add(od.root_directory_digest, `${od.path} (root directory)`) : undefined
    if (tree) await walkTree(store, c, tree, od.path)
    else if (root) await walkDirectories(store, c, root, od.path)
  }
  const wanted = [...c.wanted.values()]
  const present = await mapLimit(wanted, 64, (d) => store.has(NS.cas, d.hash))
  wanted.forEach((d, i) => {
    if (!present[i]) c.problems.push(`blob ${digestKey(d)} is missing`)
  })
  return c.problems
}
