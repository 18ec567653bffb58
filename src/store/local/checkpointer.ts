import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { StoreLogger } from './options.js'
import type { SqliteIndex } from './sqlite-index.js'

// WAL checkpoints on a thread of their own. A checkpoint copies the WAL's pages into index.db and fsyncs both
// files; run by SQLite's auto-checkpoint it happens inside whichever commit crosses 1000 frames, on the event
// loop, and under a stream of small puts the daemon spent ~15% of its time blocked there in fsync (perf
// sched_switch: walCheckpoint → fsync), with a p99 of 13–16 ms instead of 6–8 (bench:http, PUT 1 KiB). A PASSIVE
// checkpoint from a second connection never takes the write lock, so puts commit while it runs.
//
// It cannot restart the WAL, though: SQLite starts the WAL over only when a write begins with every frame copied,
// and under a steady stream of commits new frames always arrive while the thread copies. So the daemon's
// connection keeps an auto-checkpoint of its own, at SAFETY_NET_PAGES: it then finds almost everything copied
// already, finishes, and the next commit starts the WAL over. The WAL file stays below ~70 MB.
//
// The thread starts with the first write and checkpoints only after writes (the index calls `afterWrite`), at
// most every CHECKPOINT_INTERVAL_MS: an idle daemon never wakes up for it. If the thread dies, the default
// threshold comes back and the daemon logs why.

/** Least time between two of the thread's checkpoints: at ~20,000 frames/s of small puts, a few MiB of WAL. */
export const CHECKPOINT_INTERVAL_MS = 100
/** The daemon connection's own auto-checkpoint while the thread runs (SQLite's default is 1000 pages). */
export const SAFETY_NET_PAGES = 16_000
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000
/** How long close() waits for the thread's last checkpoint before stopping it. */
const CLOSE_WAIT_MS = 5000

/**
 * The thread's program: plain CommonJS run with `eval`, so it works from tsc's output and from the daemon bundle
 * alike. Messages in: 'written' (checkpoint within the interval), 'close'. Out: { done }, { warn }.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqlite)
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 })
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
let timer, failures = 0
function run() {
  timer = undefined
  try {
    checkpoint.run()
    failures = 0
  } catch (err) {
    // Busy or a passing I/O error: the next write brings another try; the daemon hears of repeated failures.
    if (++failures === 10) parentPort.postMessage({ warn: String((err && err.message) || err) })
  }
  parentPort.postMessage({ done: true })
}
parentPort.on('message', (m) => {
  if (m === 'written') {
    timer ??= setTimeout(run, workerData.intervalMs)
    return
  }
  clearTimeout(timer)
  try { checkpoint.run() } catch {}
  db.close()
  parentPort.close()
})
`

export class Checkpointer {
  /** Started on the first write: a daemon that only serves reads never pays for a thread (~8 MB). */
  private worker: Worker | undefined
  private exited: Promise<void> = Promise.resolve()
  private stopped = false
  /** A 'written' is on its way or being acted on. */
  private pending = false
  /** Writes since that 'written' was sent: another is due once the thread reports back. */
  private again = false

  /** Takes over checkpoints of `index`, whose database file is `path`. */
  constructor(
    private readonly index: SqliteIndex,
    private readonly path: string,
    private readonly logger?: StoreLogger,
    private readonly intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {
    index.db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`)
    index.afterWrite = () => this.written()
  }

  private start(): Worker {
    // Resolved here, where both tsc's output and the daemon bundle can resolve it; the thread gets a path.
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(THREAD, { eval: true, workerData: { sqlite, path: this.path, intervalMs: this.intervalMs } })
    // The thread never keeps the process alive on its own; close() stops it.
    worker.unref()
    worker.on('message', (m: { done?: boolean; warn?: string }) => {
      if (m.warn) this.logger?.warn({ error: m.warn }, 'WAL checkpoints keep failing; the index WAL grows until they succeed')
      if (m.done) {
        this.pending = false
        if (this.again) this.written()
      }
    })
    worker.on('error', (err) => this.fallBack(err))
    this.exited = new Promise((resolve) => worker.once('exit', () => {
      this.fallBack(new Error('the checkpoint thread exited'))
      resolve()
    }))
    return worker
  }

  /** After a write transaction: cheap when a checkpoint is already due. */
  private written(): void {
    if (this.stopped) return
    if (this.pending) {
      this.again = true
      return
    }
    this.pending = true
    this.again = false
    try {
      this.worker ??= this.start()
    } catch (err) {
      // Called right after a commit: a thread that cannot start must not turn a stored put into a failed one.
      this.fallBack(err)
      return
    }
    this.worker.postMessage('written')
  }

  /** The thread is gone: the daemon's connection checkpoints by itself again, as SQLite does by default. */
  private fallBack(err: unknown): void {
    if (this.stopped) return
    this.stopped = true
    this.index.afterWrite = undefined
    this.logger?.warn({ err }, 'the WAL checkpoint thread stopped; checkpoints run on the main thread again')
    if (this.index.db.open) this.index.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`)
  }

  /**
   * A last checkpoint, then the thread closes its connection and exits. Call before the index closes: the last
   * connection to close is the one that folds the WAL into index.db and removes it.
   */
  async close(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true
      this.index.afterWrite = undefined
      this.worker?.postMessage('close')
    }
    const worker = this.worker
    if (!worker) return
    const timer = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS)
    await this.exited
    clearTimeout(timer)
  }
}
