import type { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import { FabrikError } from '../errors/registry.js'
import { validateKey, validateNamespace } from '../store/keys.js'
import type { BlobStore, EntryStat, GetOptions, GetResult, PutOptions, PutResult } from '../store/types.js'

// An S3 bucket (AWS, R2, MinIO, s3rver, ...) as a cache layer. Objects live at <prefix>/<namespace>/<key>, so one
// bucket holds many teams and tools side by side; each carries the size and SHA-256 recorded when it was written
// (x-amz-meta-fabrik-sha256) and the entry's protocol metadata, which the chain checks every read against.
//
// The traps this is written around (docs/configuration.md):
// - the SDK's default checksums send a streamed body aws-chunked with a CRC trailer, which s3rver stores as data
//   and R2/older MinIO reject: checksums only when required;
// - AWS refuses a streamed PutObject of unknown length: Buffers up to a part size, lib-storage's multipart above;
// - a GetObject body never read holds its socket for good (aws-sdk-js-v3 #6691): every body is consumed or
//   destroyed by the caller, and a miss has none;
// - retries are the upload queue's job and reads fall through to the next layer: one attempt per call, bounded by
//   the caller's AbortSignal.
// A missing key is 404 (NoSuchKey / NotFound) → a miss. 403 is a failure, not a miss: without s3:ListBucket AWS
// answers 403 for a missing key too, and a cache that silently never hits is worse than one that says why.

export interface S3LayerOptions {
  /** s3://bucket/prefix */
  url: string
  endpoint?: string
  region?: string
  accessKey?: string
  secretKey?: string
  /** Concurrent uploads; the socket pool is sized from it. */
  workers: number
}

const META_SHA = 'fabrik-sha256'
const META_ENTRY = 'fabrik-meta'
/** lib-storage parts; memory per large upload ≈ PART_BYTES × QUEUE_PARTS. */
const PART_BYTES = 8 * 1024 * 1024
const QUEUE_PARTS = 2

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const u = new URL(url)
  if (u.protocol !== 's3:' || u.hostname === '') {
    throw new FabrikError('CONFIG_INVALID', `upstream url ${url} is not s3://bucket[/prefix]`)
  }
  const prefix = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '')
  return { bucket: u.hostname, prefix: prefix === '' ? '' : `${prefix}/` }
}

export class S3Layer implements BlobStore {
  readonly bucket: string
  readonly prefix: string

  constructor(private readonly client: S3Client, private readonly sdk: typeof import('@aws-sdk/client-s3'), options: S3LayerOptions) {
    const { bucket, prefix } = parseS3Url(options.url)
    this.bucket = bucket
    this.prefix = prefix
  }

  objectKey(ns: string, key: string): string {
    return `${this.prefix}${validateNamespace(ns)}/${validateKey(key)}`
  }

  async has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.stat(ns, key, signal)) !== undefined
  }

  async stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    try {
      const res = await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(ns, key) }), { abortSignal: signal })
      return toStat(res.ContentLength, res.Metadata, res.LastModified)
    } catch (err) {
      if (isMissing(err)) return undefined
      throw failure('HeadObject', this.objectKey(ns, key), err)
    }
  }

  /** Always the whole object: the chain verifies what it serves, which a range cannot be. */
  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    let res
    try {
      res = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(ns, key) }), { abortSignal: options.signal })
    } catch (err) {
      if (isMissing(err)) return undefined
      throw failure('GetObject', this.objectKey(ns, key), err)
    }
    const stream = res.Body as Readable | undefined
    if (!stream) throw new FabrikError('UNAVAILABLE', `s3 GetObject ${this.objectKey(ns, key)} answered without a body`)
    return { ...toStat(res.ContentLength, res.Metadata, res.LastModified), stream }
  }

  async put(ns: string, key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    const Key = this.objectKey(ns, key)
    if (options.size === undefined || options.sha256 === undefined) {
      throw new FabrikError('INVALID_REQUEST', 'an S3 upload needs the entry\'s size and SHA-256 (they are recorded with the object)')
    }
    const Metadata: Record<string, string> = { [META_SHA]: options.sha256 }
    if (options.meta && Object.keys(options.meta).length > 0) {
      Metadata[META_ENTRY] = Buffer.from(JSON.stringify(options.meta)).toString('base64url')
    }
    const common = { Bucket: this.bucket, Key, Metadata, ContentType: 'application/octet-stream' }
    try {
      if (Buffer.isBuffer(body)) {
        await this.client.send(new this.sdk.PutObjectCommand({ ...common, Body: body, ContentLength: body.length }), { abortSignal: options.signal })
      } else {
        const { Upload } = await import('@aws-sdk/lib-storage')
        const upload = new Upload({ client: this.client, params: { ...common, Body: body }, partSize: PART_BYTES, queueSize: QUEUE_PARTS, leavePartsOnError: false })
        const abort = () => void upload.abort()
        options.signal?.addEventListener('abort', abort, { once: true })
        try {
          await upload.done()
        } finally {
          options.signal?.removeEventListener('abort', abort)
        }
      }
    } catch (err) {
      if (!Buffer.isBuffer(body)) body.destroy()
      throw failure('PutObject', Key, err)
    }
    return { size: options.size, sha256: options.sha256, created: true }
  }

  async delete(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(ns, key) }), { abortSignal: signal })
      return true
    } catch (err) {
      if (isMissing(err)) return false
      throw failure('DeleteObject', this.objectKey(ns, key), err)
    }
  }

  async close(): Promise<void> {
    this.client.destroy()
  }
}

/** Builds the S3 client the way every S3-compatible endpoint accepts (see the notes at the top). */
export async function createS3Layer(options: S3LayerOptions): Promise<S3Layer> {
  // On Node 20 the SDK warns once that its releases after January 2027 need Node 22. Fabrik pins the version it
  // ships (package.json), so the warning only alarms whoever reads the daemon log.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const sdk = await import('@aws-sdk/client-s3')
  const sockets = Math.max(16, options.workers * 2 + 8)
  const client = new sdk.S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.accessKey && options.secretKey
      ? { credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secretKey } }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: { httpAgent: { keepAlive: true, maxSockets: sockets }, httpsAgent: { keepAlive: true, maxSockets: sockets } },
  })
  return new S3Layer(client, sdk, options)
}

function toStat(length: number | undefined, metadata: Record<string, string> | undefined, modified: Date | undefined): EntryStat {
  const at = modified?.getTime() ?? Date.now()
  let meta: Record<string, string> = {}
  const packed = metadata?.[META_ENTRY]
  if (packed) {
    try {
      meta = JSON.parse(Buffer.from(packed, 'base64url').toString('utf8')) as Record<string, string>
    } catch {
      meta = {}
    }
  }
  // A missing SHA-256 (an object not written by Fabrik) fails the chain's check: it cannot be verified.
  return { size: length ?? -1, sha256: metadata?.[META_SHA] ?? '', createdAt: at, accessedAt: at, meta }
}

function status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
}

function isMissing(err: unknown): boolean {
  const name = (err as { name?: string }).name
  return name === 'NoSuchKey' || name === 'NotFound' || status(err) === 404
}

function failure(op: string, key: string, err: unknown): Error {
  if ((err as { name?: string }).name === 'AbortError') return err as Error
  const code = status(err)
  const name = (err as { name?: string }).name ?? 'Error'
  const why = err instanceof Error ? err.message : String(err)
  return new FabrikError('UNAVAILABLE', `s3 ${op} ${key} failed${code ? ` with ${code}` : ''}: ${name}${why && why !== name ? ` (${why})` : ''}`, { cause: err })
}
