import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The files a CASDBService Get/Load with write_to_disk hands to Xcode. The client renames each into its own
 * on-disk CAS right after the call; one it never picks up (a build killed in between) would stay forever, so
 * files older than the TTL are removed — on the first hand-out of a daemon (leftovers of earlier ones) and then
 * periodically while the daemon runs.
 */
export class HandedOutFiles {
  private ready?: Promise<void>
  private timer?: NodeJS.Timeout
  private closed = false

  constructor(
    readonly dir: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new, unused path in `dir` for the blob with this ID. */
  async newPath(idHex: string): Promise<string> {
    this.ready ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 })
      await this.sweep()
      if (this.closed) return
      this.timer = setInterval(() => void this.sweep().catch(() => undefined), Math.min(this.ttlMs, 10 * 60_000)).unref()
    })()
    await this.ready
    return join(this.dir, `${idHex.slice(0, 16)}-${randomUUID()}`)
  }

  /** Removes the files not picked up within the TTL; resolves with how many. */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.ttlMs
    let removed = 0
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const path = join(this.dir, name)
      const s = await stat(path).catch(() => undefined)
      if (s?.isFile() && s.mtimeMs < cutoff) {
        await rm(path, { force: true })
        removed++
      }
    }
    return removed
  }

  /** Stops the periodic sweep. Files stay: a client may still be about to pick one up. */
  close(): void {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}
