import { Readable } from 'node:stream'
import * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../errors/registry.js'
import type { EntryInfo__Output } from '../generated/fabrik/v1/EntryInfo.js'
import type { FabrikCacheClient } from '../generated/fabrik/v1/FabrikCache.js'
import type { GetResponse__Output } from '../generated/fabrik/v1/GetResponse.js'
import { loadProtos } from '../grpc/protos.js'
import { MAX_CHUNK, slices } from '../grpc/streams.js'
import type { BlobStore, EntryStat, GetOptions, GetResult, PutOptions, PutResult } from '../store/types.js'

// The regional tier (`fabrik server`) as a layer of a daemon's chain, over its daemon-facing gRPC service
// fabrik.v1.FabrikCache (src/server/fabrik-cache.ts). grpc:// is plaintext (a server on a trusted network or
// behind a TLS-terminating balancer), grpcs:// is TLS with the system's roots. The token goes in `authorization`
// metadata on every call; the server takes the tenant from it.

export { upstreamToken } from '../auth/token.js'

export interface RegionalLayerOptions {
  url: string
  /** The JWT to send, if any (FABRIK_TOKEN, [auth.token] env_var or file). */
  token?: string
}

function toStat(i: EntryInfo__Output): EntryStat {
  const at = Number(i.created_at_ms) || Date.now()
  return { size: Number(i.size), sha256: i.sha256, createdAt: at, accessedAt: at, meta: i.meta ?? {} }
}

/**
 * A refusal stays what it is (UNAUTHENTICATED / PERMISSION_DENIED in the registry): the server answered, so it is no
 * sign the layer is down (the breaker ignores refusals, src/layers/breaker.ts), and an upload refused for a token's
 * missing permission would be refused forever (the upload workers drop it). Anything else means the tier could not
 * serve the call: UNAVAILABLE.
 */
function failure(op: string, err: grpc.ServiceError): Error {
  const name = grpc.status[err.code] ?? String(err.code)
  const message = `regional ${op} failed with ${name}: ${err.details}`
  if (err.code === grpc.status.UNAUTHENTICATED) {
    return new FabrikError('UNAUTHENTICATED', message, { cause: err, fix: 'Set FABRIK_TOKEN (or [auth.token] env_var / file) to a valid, unexpired token for this server; `fabrik auth status` shows the one sent now.' })
  }
  if (err.code === grpc.status.PERMISSION_DENIED) {
    return new FabrikError('PERMISSION_DENIED', message, {
      cause: err,
      fix: 'Ask for a token that grants the permission named above (cache:write to upload), or set read_only = true on this [[upstream]] so nothing is uploaded to it.',
    })
  }
  return new FabrikError('UNAVAILABLE', message, { cause: err })
}

export class RegionalLayer implements BlobStore {
  private readonly client: FabrikCacheClient
  private readonly metadata = new grpc.Metadata()

  constructor(options: RegionalLayerOptions) {
    const u = new URL(options.url)
    const creds = u.protocol === 'grpcs:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure()
    const Client = loadProtos().fabrik.v1.FabrikCache
    this.client = new Client(`${u.hostname}:${u.port || (u.protocol === 'grpcs:' ? '443' : '7070')}`, creds, {
      'grpc.max_receive_message_length': 2 * MAX_CHUNK + 64 * 1024,
    })
    if (options.token) this.metadata.set('authorization', `Bearer ${options.token}`)
  }

  private unary<Req, Res>(op: string, call: (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => grpc.ClientUnaryCall, req: Req, signal?: AbortSignal): Promise<Res> {
    return new Promise((resolve, reject) => {
      const c = call(req, this.metadata, {}, (err, res) => (err ? reject(failure(op, err)) : resolve(res!)))
      signal?.addEventListener('abort', () => c.cancel(), { once: true })
    })
  }

  async has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.stat(ns, key, signal)) !== undefined
  }

  async stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    const res = await this.unary<{ entries: { namespace: string; key: string }[] }, { entries: EntryInfo__Output[] }>(
      'Exists', this.client.Exists.bind(this.client) as never, { entries: [{ namespace: ns, key }] }, signal)
    const found = res.entries[0]
    return found?.found ? toStat(found) : undefined
  }

  /** Always the whole entry (the chain verifies what it serves). NOT_FOUND is a miss. */
  get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    return new Promise((resolve, reject) => {
      const call = this.client.Get({ namespace: ns, key }, this.metadata)
      let settled = false
      const onAbort = () => call.cancel()
      options.signal?.addEventListener('abort', onAbort, { once: true })
      const body = new Readable({ read: () => call.resume() })
      call.on('data', (m: GetResponse__Output) => {
        if (!settled) {
          settled = true
          if (!m.info?.found) {
            call.cancel()
            reject(new FabrikError('UNAVAILABLE', 'regional Get began without the entry\'s info'))
            return
          }
          resolve({ ...toStat(m.info), stream: body })
          return
        }
        if (m.data && !body.push(m.data)) call.pause()
      })
      call.on('end', () => body.push(null))
      call.on('error', (err: grpc.ServiceError) => {
        options.signal?.removeEventListener('abort', onAbort)
        if (!settled) {
          settled = true
          if (err.code === grpc.status.NOT_FOUND) resolve(undefined)
          else reject(failure('Get', err))
          return
        }
        body.destroy(failure('Get', err))
      })
      body.on('close', () => {
        if (!body.readableEnded) call.cancel()
      })
    })
  }

  put(ns: string, key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    if (options.size === undefined || options.sha256 === undefined) {
      return Promise.reject(new FabrikError('INVALID_REQUEST', 'a regional upload needs the entry\'s size and SHA-256'))
    }
    const { size, sha256 } = options
    return new Promise((resolve, reject) => {
      const call = this.client.Put(this.metadata, (err, res) => {
        if (err) reject(failure('Put', err))
        else resolve({ size: Number(res!.size), sha256: res!.sha256, created: res!.created })
      })
      options.signal?.addEventListener('abort', () => call.cancel(), { once: true })
      void (async () => {
        try {
          call.write({ header: { namespace: ns, key, size, sha256, meta: options.meta ?? {} } })
          const source = Buffer.isBuffer(body) ? Readable.from([body]) : body
          for await (const piece of slices(source)) {
            if (!call.write({ data: piece })) await new Promise((r) => call.once('drain', r))
          }
          call.end()
        } catch (err) {
          call.cancel()
          reject(err)
        }
      })()
    })
  }

  async delete(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.unary<{ namespace: string; key: string }, { deleted: boolean }>('Delete', this.client.Delete.bind(this.client) as never, { namespace: ns, key }, signal)
    return res.deleted
  }

  async close(): Promise<void> {
    this.client.close()
  }
}
