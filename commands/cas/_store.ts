import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, unlink } from 'node:fs/promises'
import { Transform, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Flags } from '@oclif/core'
import { FabrikCommand } from '../_base.js'
import { FabrikError } from '../../src/errors/registry.js'
import type { LocalStore } from '../../src/store/local/store.js'
import type { EntryStat } from '../../src/store/types.js'

// Shared by `fabrik cas …` and `fabrik kv …`: both work on the current project's local store (the one the daemon
// serves), in namespace "cas" (content-addressed, key = SHA-256) or "kv" (free keys). Safe while the daemon runs:
// the store is shared through SQLite and each opener leaves the others' writes in flight alone.

export const listFlags = {
  limit: Flags.integer({ description: 'Show at most this many entries', default: 100, min: 1 }),
  prefix: Flags.string({ description: 'Only keys starting with this' }),
}

export interface EntryInfo {
  key: string
  size: number
  sha256: string
  createdAt: string
  accessedAt: string
  meta: Record<string, string>
}

export function entryInfo(key: string, st: EntryStat): EntryInfo {
  return {
    key,
    size: st.size,
    sha256: st.sha256,
    createdAt: new Date(st.createdAt).toISOString(),
    accessedAt: new Date(st.accessedAt).toISOString(),
    meta: st.meta,
  }
}

export abstract class StoreCommand extends FabrikCommand {
  /** Opens the configured store (importing SQLite only now), runs fn, always closes it. */
  protected async withStore<T>(flags: Record<string, unknown>, fn: (store: LocalStore) => Promise<T>): Promise<T> {
    const loaded = await this.loadConfig(flags)
    const { openStoreFromConfig } = await import('../../src/store/open.js')
    const store = openStoreFromConfig(loaded.config, {
      logger: { warn: (_obj, msg) => process.stderr.write(`fabrik: ${msg}\n`) },
    })
    try {
      return await fn(store)
    } finally {
      await store.close()
    }
  }

  protected notFound(ns: string, key: string): FabrikError {
    return new FabrikError('NOT_FOUND', `${ns} entry ${key} is not in the local cache`)
  }

  /**
   * Copies an entry to `output` (a file, written whole or not at all) or stdout, re-hashing on the way so a blob
   * damaged on disk is reported instead of handed out silently.
   */
  protected async copyOut(store: LocalStore, ns: string, key: string, output: string | undefined): Promise<EntryInfo> {
    const got = await store.get(ns, key)
    if (!got) throw this.notFound(ns, key)
    const hash = createHash('sha256')
    const tee = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk)
        cb(null, chunk)
      },
    })
    const partial = output === undefined ? undefined : `${output}.fabrik-partial`
    const sink: Writable = partial === undefined ? process.stdout : createWriteStream(partial)
    try {
      await pipeline(got.stream, tee, sink, { end: partial !== undefined })
      const actual = hash.digest('hex')
      if (actual !== got.sha256) {
        throw new FabrikError('STORE_IO', `${ns} entry ${key} is damaged on disk: it hashes to ${actual}, not ${got.sha256}`)
      }
      if (partial !== undefined && output !== undefined) await rename(partial, output)
    } catch (err) {
      if (partial !== undefined) await unlink(partial).catch(() => undefined)
      throw err
    }
    return entryInfo(key, got)
  }

  /** Exit 0 when present, 1 when absent (like `grep -q`), so `if fabrik cas exists H; then …` reads naturally. */
  protected async exists(flags: Record<string, unknown>, ns: string, key: string): Promise<{ key: string; exists: boolean }> {
    const exists = await this.withStore(flags, (s) => s.has(ns, key))
    this.log(exists ? `${key} exists` : `${key} not found`)
    if (!exists) process.exitCode = 1
    return { key, exists }
  }

  protected async remove(flags: Record<string, unknown>, ns: string, key: string): Promise<{ key: string; deleted: true }> {
    const deleted = await this.withStore(flags, (s) => s.delete(ns, key))
    if (!deleted) throw this.notFound(ns, key)
    this.log(`deleted ${key}`)
    return { key, deleted: true }
  }

  protected async listing(
    flags: Record<string, unknown> & { limit: number; prefix?: string },
    ns: string,
  ): Promise<{ entries: EntryInfo[]; truncated: boolean }> {
    const rows = await this.withStore(flags, async (s) => s.list({ ns, prefix: flags.prefix, limit: flags.limit + 1 }))
    const entries = rows.slice(0, flags.limit).map((r) => entryInfo(r.key, r))
    for (const e of entries) this.log(`${e.key}  ${e.size}  ${e.accessedAt}`)
    const truncated = rows.length > flags.limit
    if (truncated) this.log(`(first ${flags.limit}; pass --limit to see more)`)
    return { entries, truncated }
  }

  protected async figures(flags: Record<string, unknown>, ns: string): Promise<NamespaceStats> {
    const st = await this.withStore(flags, async (s) => ({ stats: s.stats(), dir: s.layout.dir, policy: s.policy }))
    const mine = st.stats.byNamespace[ns] ?? { entries: 0, bytes: 0 }
    const result: NamespaceStats = {
      namespace: ns,
      entries: mine.entries,
      bytes: mine.bytes,
      store: {
        dir: st.dir,
        entries: st.stats.entries,
        bytes: st.stats.bytes,
        maxBytes: st.stats.maxBytes,
        evictionPolicy: st.policy,
        evictions: st.stats.evictions,
      },
    }
    this.log(`${ns}: ${mine.entries} entries, ${mine.bytes} bytes`)
    this.log(`store ${st.dir}: ${st.stats.entries} entries, ${st.stats.bytes} of ${st.stats.maxBytes} bytes ` +
      `(${st.policy}), ${st.stats.evictions} evictions`)
    return result
  }
}

export interface NamespaceStats {
  namespace: string
  entries: number
  bytes: number
  store: { dir: string; entries: number; bytes: number; maxBytes: number; evictionPolicy: string; evictions: number }
}
