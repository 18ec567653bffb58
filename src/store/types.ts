import type { Readable } from 'node:stream'

// The one small stream interface every cache layer implements: the local SQLite+files store, the P2P peers,
// the regional Fabrik server, S3 — and the layer chain itself, which is just another BlobStore.
//
// A miss is `undefined` (or `false`), never an exception. An exception is a failure: the chain logs it, counts
// it and moves on to the next layer, so a broken layer never looks like an empty one.

/**
 * Namespaces keep tools apart ("turbo.<team>", "nx", "gradle", "bazel-ac.<instance>", "cas", "kv", ...),
 * so one tool can never read another's entries. Validated by `validateNamespace`.
 */
export type Namespace = string

export interface EntryStat {
  /** Bytes stored. */
  size: number
  /** SHA-256 (lowercase hex) of the stored bytes, computed while writing. */
  sha256: string
  /** Milliseconds since the epoch. */
  createdAt: number
  accessedAt: number
  /** Small protocol metadata stored beside the bytes (e.g. turbo's x-artifact-tag and duration). */
  meta: Record<string, string>
}

export interface GetResult extends EntryStat {
  /** The bytes from the requested offset on. For results with `data`, created only when first read. */
  readonly stream: Readable
  /**
   * The same bytes, when the store already holds them in memory (small entries kept in the SQLite index, the
   * memory store). Readers that want the whole entry use it instead of `stream` — see readResult() — which then
   * is never created: a stream per small hit cost a fifth of the 1 KiB GET rate (bench:http).
   */
  readonly data?: Buffer
  /**
   * For bytes in a file: reads them into the caller's buffers instead of through `stream`, so a protocol that
   * frames every chunk (ByteStream.Read) reads straight behind its own header, with no copy and no stream. A
   * result is consumed one way: through `stream` or through `reader`, never both.
   */
  readonly reader?: RangeReader
}

/** Sequential reads over a result's byte range. */
export interface RangeReader {
  /** Bytes of the range not read yet. */
  readonly remaining: number
  /**
   * Reads the next `length` bytes (at most `remaining`) into `into` at `at`. Resolves with the bytes read, fewer
   * only if the stored file is shorter than its index row says.
   */
  read(into: Buffer, at: number, length: number): Promise<number>
  /**
   * The same as `read`, done at once on the calling thread: for a small first piece someone is waiting on (a
   * peer's first byte, p2p/server.ts). After an idle spell a libuv threadpool round trip took 0.6-1.5 ms on the
   * 2-core VM here (bench:p2p), a read of tens of KiB from the page cache a few microseconds. Optional.
   */
  readNow?(into: Buffer, at: number, length: number): number
  /** Releases the file. Idempotent; also needed when the range was read to its end. */
  close(): Promise<void>
}

export interface GetOptions {
  signal?: AbortSignal
  /** Start reading at this byte offset (ByteStream.Read, HTTP Range). */
  offset?: number
  /** Read at most this many bytes from `offset`. */
  length?: number
  /**
   * Read to answer for another entry (an action result's inlined outputs or referenced trees, GetTree's
   * directories), not an entry a client asked for: a slower layer serving it is not counted as that layer's hit,
   * because `fabrik stats` derives local hits as the clients' hits minus the layers'.
   */
  reference?: boolean
}

export interface PutOptions {
  signal?: AbortSignal
  /** Declared length. A body of any other length is rejected with SIZE_MISMATCH and nothing is stored. */
  size?: number
  /** Expected SHA-256 for content-addressed keys. Mismatch → DIGEST_MISMATCH, nothing stored. */
  sha256?: string
  meta?: Record<string, string>
  /** Default true. When false an existing entry is kept and the put fails with ALREADY_EXISTS. */
  overwrite?: boolean
  /**
   * Default true: slower layers configured write_through are owed this entry (the local store queues it in the
   * commit's transaction). False for an entry that just came from one of them (a backfill).
   */
  upload?: boolean
}

export interface PutResult {
  size: number
  sha256: string
  /** False when the entry already existed and was left as it was (content-addressed duplicate). */
  created: boolean
}

export interface BlobStore {
  has(ns: Namespace, key: string, signal?: AbortSignal): Promise<boolean>
  stat(ns: Namespace, key: string, signal?: AbortSignal): Promise<EntryStat | undefined>
  get(ns: Namespace, key: string, options?: GetOptions): Promise<GetResult | undefined>
  put(ns: Namespace, key: string, body: Readable | Buffer, options?: PutOptions): Promise<PutResult>
  delete(ns: Namespace, key: string, signal?: AbortSignal): Promise<boolean>
  close(): Promise<void>
}

export interface ListedEntry extends EntryStat {
  ns: Namespace
  key: string
}

export interface StoreStats {
  entries: number
  bytes: number
  maxBytes: number
  evictions: number
  byNamespace: Record<string, { entries: number; bytes: number }>
}

/** What only the local store offers: listing and figures, for the CLI and /metrics. */
export interface LocalBlobStore extends BlobStore {
  list(options?: { ns?: Namespace; prefix?: string; limit?: number }): ListedEntry[]
  stats(): StoreStats
}

/** Which layers are owed new entries, and how much the queue may hold for each. */
export interface UploadTargets {
  /** Stable layer ids (their URLs), as the upload workers claim them. */
  layers: readonly string[]
  maxEntries: number
  maxBytes: number
}

/** An entry a slower layer is still owed (the durable write-behind queue, one row per layer and key). */
export interface PendingUpload {
  seq: number
  /** Bumped when the entry is written again while queued, so a finished upload of older bytes keeps the row. */
  version: number
  layer: string
  ns: Namespace
  key: string
  size: number
  attempts: number
  enqueuedAt: number
}

export interface QueueDepth {
  entries: number
  bytes: number
  /** enqueuedAt of the oldest pending row, if any. */
  oldest?: number
}

/**
 * The queue as the upload workers see it. Rows are written by the store itself, in the transaction that commits
 * the entry; a claimed row belongs to one live store opener until finished, retried or that opener dies.
 */
export interface UploadQueueStore {
  /**
   * Claims up to `limit` due rows of `layer` for this opener. Rows of priority 1 (action results) are only handed
   * out once no row of priority 0 (the blobs they may reference) queued before them is left.
   */
  claim(layer: string, limit: number, now: number): PendingUpload[]
  /** The upload succeeded (or the entry is gone): drop the row unless it was re-queued since it was claimed. */
  finish(row: PendingUpload): void
  /** The upload failed: unclaim the row and make it due again at `nextAt`. */
  retry(row: PendingUpload, nextAt: number, error: string): void
  /** The layer is offline: unclaim the row without counting an attempt. */
  postpone(row: PendingUpload, nextAt: number): void
  /** Gives back every row this opener claimed (shutdown). */
  releaseClaims(): void
  depth(layer?: string): QueueDepth
  /** Forgets rows of layers no longer configured; returns how many. */
  prune(keep: readonly string[]): number
}
