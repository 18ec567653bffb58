import type { Row } from './sqlite-index.js'

// The most recently read small (inline) entries, row and bytes, kept in memory. A hit still asks the index for the
// entry's current `file` — one narrow lookup — and is served from here only if it is unchanged: an inline entry's
// file is "inline/<id>" with ids never reused (paths.ts), so the same file means the same bytes, size, digest,
// creation time and metadata, whoever wrote to the store meanwhile (the daemon, `fabrik cas put`, another daemon
// on the same cache dir). Any overwrite, delete, eviction or expiry changes or removes the file and the copy here
// is dropped. This skips the full row (eight columns, a 64-character digest) and the blob copy out of SQLite,
// which were the largest part of a 1 KiB hit's own cost (bench:http).

interface HotEntry {
  row: Row
  data: Buffer
}

export class HotEntries {
  private readonly entries = new Map<string, HotEntry>()
  private bytes = 0

  constructor(private readonly maxBytes: number) {}

  /** The cached entry, or undefined; a hit moves it to the most recent end. */
  get(id: string): HotEntry | undefined {
    const e = this.entries.get(id)
    if (e !== undefined) {
      this.entries.delete(id)
      this.entries.set(id, e)
    }
    return e
  }

  set(id: string, row: Row, data: Buffer): void {
    if (data.length > this.maxBytes) return
    this.delete(id)
    this.entries.set(id, { row, data })
    this.bytes += data.length
    for (const [oldest, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.bytes -= e.data.length
    }
  }

  delete(id: string): void {
    const e = this.entries.get(id)
    if (e === undefined) return
    this.entries.delete(id)
    this.bytes -= e.data.length
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes }
  }
}
