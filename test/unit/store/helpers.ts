// Shared by the store tests (not a test file; running it does nothing).
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import Sqlite from 'better-sqlite3'
import { LocalStore, type LocalStoreOptions } from '../../../src/store/local/store.js'

export const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

export async function tempDir(prefix = 'fabrik-store-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

export function open(dir: string, over: Partial<LocalStoreOptions> = {}): LocalStore {
  return new LocalStore({ dir, maxSize: 64 * 1024 * 1024, evictionPolicy: 'lru', defaultTtl: 7 * 86_400_000, ...over })
}

/** Relative paths ("ab/<name>") of every file under `root`'s fan-out folders. */
export async function blobFiles(root: string): Promise<string[]> {
  const out: string[] = []
  for (const fan of await readdir(root)) {
    for (const name of await readdir(join(root, fan))) out.push(`${fan}/${name}`)
  }
  return out.sort()
}

/** The `file` of every index row whose bytes are in a file, sorted: what blobFiles() must equal. */
export function fileRows(dir: string): string[] {
  const db = new Sqlite(join(dir, 'index.db'), { readonly: true })
  try {
    const rows = db.prepare("SELECT file FROM entries WHERE file NOT GLOB 'inline/*' ORDER BY file").all() as { file: string }[]
    return rows.map((r) => r.file)
  } finally {
    db.close()
  }
}

/** How many entries hold their bytes inline; fails if inline_blobs holds bytes no entry names. */
export function inlineRows(dir: string): number {
  const db = new Sqlite(join(dir, 'index.db'), { readonly: true })
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
    const named = count("SELECT count(*) AS n FROM entries WHERE file GLOB 'inline/*'")
    const joined = count("SELECT count(*) AS n FROM entries JOIN inline_blobs ON file = 'inline/' || id")
    const blobs = count('SELECT count(*) AS n FROM inline_blobs')
    if (named !== joined || blobs !== joined) throw new Error(`${named} inline entries, ${joined} joined, ${blobs} inline blobs`)
    return named
  } finally {
    db.close()
  }
}

/** Bytes allocated on disk under `dir` (like du: st_blocks × 512), files vanishing mid-walk ignored. */
export async function diskUsage(dir: string): Promise<number> {
  let total = 0
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    const p = join(dir, name)
    try {
      const s = await stat(p)
      total += s.isDirectory() ? await diskUsage(p) : s.blocks * 512
    } catch {
      // removed between readdir and stat
    }
  }
  return total
}

export const random = (bytes: number): Buffer => randomBytes(bytes)
