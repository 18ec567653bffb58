import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { connect as tlsConnect, createSecureContext } from 'node:tls'
import * as grpc from '@grpc/grpc-js'
import type { EntryInfo__Output } from '../generated/fabrik/p2p/v1/EntryInfo.js'
import { fingerprintOfCert, type P2PIdentity } from './identity.js'
import { FLOW_CONTROL_WINDOW, METHOD, clientConstructor, type GetPart } from './proto.js'
import { META, proofMatches, type RequestSigner, type SignedHeaders } from './signing.js'
import { VERSION } from './version.js'

// One teammate's daemon, as seen from here. The connection is TLS pinned to the fingerprint the peer announced:
// a first handshake fetches its certificate and checks the fingerprint, then the gRPC channel trusts exactly that
// certificate (it is its own CA) and checks the fingerprint again on every handshake. Every call is signed.

/**
 * Both ends are Fabrik on Node, so TLS 1.3; the server follows the client's order (Node's honorCipherOrder is off).
 * AES-128-GCM first: Node's default puts AES-256-GCM first, and a 64 MiB peer transfer ran ~25% faster with
 * AES-128-GCM on this class of machine (bench:p2p). It is the one suite TLS 1.3 requires every endpoint to offer.
 */
const P2P_CIPHERS = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256'

export interface PeerEndpoint {
  machineId: string
  hostname: string
  address: string
  port: number
  /** Announced (mDNS TXT) or pinned fingerprint; the TLS certificate must match it. */
  fingerprint: string
}

export interface HelloResult {
  machineId: string
  hostname: string
  version: string
  /** What the peer's consent says about this daemon. */
  consent: string
  latencyMs: number
}

export class PeerError extends Error {
  constructor(readonly reason: string, message: string, readonly grpcCode?: grpc.status) {
    super(message)
  }
}

/** Fetches the peer's certificate (PEM) and checks it against the expected fingerprint. */
export function fetchPinnedCert(address: string, port: number, fingerprint: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: address, port, rejectUnauthorized: false, ALPNProtocols: ['h2'], servername: 'fabrik-p2p' })
    const timer = setTimeout(() => socket.destroy(new PeerError('timeout', `TLS handshake with ${address}:${port} timed out`)), timeoutMs)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      const raw = socket.getPeerCertificate().raw
      socket.end()
      socket.destroy()
      if (!raw) return reject(new PeerError('tls', `${address}:${port} sent no certificate`))
      const got = fingerprintOfCert(raw)
      if (got !== fingerprint) return reject(new PeerError('fingerprint', `${address}:${port} presented key ${got.slice(0, 16)}, expected ${fingerprint.slice(0, 16)}`))
      resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`)
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err instanceof PeerError ? err : new PeerError('connect', `${address}:${port}: ${err.message}`))
    })
  })
}

type Method = (req: unknown, md: grpc.Metadata, options: grpc.CallOptions, cb?: (err: grpc.ServiceError | null, res: unknown) => void) => grpc.ClientUnaryCall
type StreamMethod = (req: unknown, md: grpc.Metadata, options: grpc.CallOptions) => grpc.ClientReadableStream<GetPart>

export class PeerClient {
  private client: grpc.Client | undefined
  private connecting: Promise<grpc.Client> | undefined

  constructor(
    readonly endpoint: PeerEndpoint,
    private readonly identity: P2PIdentity,
    private readonly signer: RequestSigner,
    private readonly helloKey: Buffer,
    private readonly connectTimeoutMs: number,
  ) {}

  private async connect(): Promise<grpc.Client> {
    if (this.client) return this.client
    this.connecting ??= (async () => {
      const { address, port, fingerprint } = this.endpoint
      const pem = await fetchPinnedCert(address, port, fingerprint, this.connectTimeoutMs)
      const context = createSecureContext({ ca: pem, key: this.identity.keyPem, cert: this.identity.certPem, ciphers: P2P_CIPHERS })
      const creds = grpc.credentials.createFromSecureContext(context, {
        checkServerIdentity: (_host, cert) => (fingerprintOfCert(cert.raw) === fingerprint ? undefined : new PeerError('fingerprint', 'certificate changed')),
      })
      const Ctor = clientConstructor()
      const target = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
      this.client = new Ctor(target, creds, {
        'grpc.ssl_target_name_override': 'fabrik-p2p',
        'grpc.default_authority': 'fabrik-p2p',
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5_000,
        'grpc.max_receive_message_length': 8 * 1024 * 1024,
        // grpc-js keeps HTTP/2's 64 KiB starting window unless told otherwise: a peer's 1 MiB messages then stall
        // on a WINDOW_UPDATE round trip every 64 KiB (bench:p2p, 64 MiB entry).
        'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW,
        'grpc.initial_reconnect_backoff_ms': 200,
        'grpc.max_reconnect_backoff_ms': 2_000,
      })
      return this.client
    })().finally(() => {
      this.connecting = undefined
    })
    return this.connecting
  }

  private metadata(method: string, subjects: string[]): grpc.Metadata {
    const h: SignedHeaders = this.signer.sign(method, subjects, this.endpoint.fingerprint)
    const md = new grpc.Metadata()
    md.set(META.sender, h.sender)
    md.set(META.target, h.target)
    md.set(META.timestamp, h.timestamp)
    md.set(META.nonce, h.nonce)
    md.set(META.mac, h.mac)
    md.set(META.publicKey, h.publicKey)
    md.set(META.signature, h.signature)
    return md
  }

  private async unary<T>(name: 'Hello' | 'Exists', method: string, subjects: string[], req: unknown, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    const client = await this.connect()
    return new Promise<T>((resolve, reject) => {
      const fn = (client as unknown as Record<string, Method>)[name]!.bind(client)
      const call = fn(req, this.metadata(method, subjects), { deadline: Date.now() + timeoutMs }, (err, res) => {
        signal?.removeEventListener('abort', cancel)
        if (err) reject(toPeerError(err))
        else resolve(res as T)
      })
      const cancel = () => call.cancel()
      signal?.addEventListener('abort', cancel, { once: true })
    })
  }

  async hello(timeoutMs: number): Promise<HelloResult> {
    const challenge = randomBytes(32).toString('hex')
    const started = performance.now()
    const res = await this.unary<{ proof: string; machine_id: string; hostname: string; version: string; consent: string }>('Hello', METHOD.hello, [challenge], { challenge, hostname: this.identity.hostname, version: VERSION }, timeoutMs)
    // The server proves it holds the secret too, bound to this challenge and to both keys.
    if (!proofMatches(this.helloKey, res.proof, challenge, this.endpoint.fingerprint, this.identity.fingerprint)) {
      throw new PeerError('proof', `${this.endpoint.address}: Hello proof does not match (another team secret?)`)
    }
    return { machineId: res.machine_id, hostname: res.hostname, version: res.version, consent: res.consent, latencyMs: performance.now() - started }
  }

  async exists(keys: { namespace: string; key: string }[], timeoutMs: number, signal?: AbortSignal): Promise<EntryInfo__Output[]> {
    const res = await this.unary<{ entries: EntryInfo__Output[] }>('Exists', METHOD.exists, keys.map((k) => `${k.namespace}/${k.key}`), { keys }, timeoutMs, signal)
    return res.entries
  }

  /**
   * Starts Get; resolves with the entry's info and a raw stream of its bytes once the first message arrives,
   * undefined on NOT_FOUND. `signal` cancels the call (a losing peer sees CANCELLED).
   */
  async get(namespace: string, key: string, offset: number, firstByteTimeoutMs: number, stallTimeoutMs: number, signal?: AbortSignal): Promise<{ info: EntryInfo__Output; stream: Readable } | undefined> {
    const client = await this.connect()
    if (signal?.aborted) throw new PeerError('aborted', 'aborted')
    const fn = (client as unknown as Record<string, StreamMethod>).Get!.bind(client)
    const call = fn({ key: { namespace, key }, offset: String(offset) }, this.metadata(METHOD.get, [`${namespace}/${key}`, `offset=${offset}`]), {})
    return new Promise((resolve, reject) => {
      let started = false
      let stall: NodeJS.Timeout | undefined
      const out = new Readable({
        read: () => call.resume(),
        destroy: (err, cb) => {
          if (stall) clearTimeout(stall)
          call.cancel()
          cb(err)
        },
      })
      const arm = (ms: number) => {
        if (stall) clearTimeout(stall)
        stall = setTimeout(() => {
          const err = new PeerError('timeout', `${this.endpoint.address}: no data for ${ms} ms`)
          call.cancel()
          if (!started) reject(err)
          else out.destroy(err)
        }, ms)
      }
      const cancel = () => {
        call.cancel()
        if (!started) reject(new PeerError('aborted', 'aborted'))
        else out.destroy(new PeerError('aborted', 'aborted'))
      }
      signal?.addEventListener('abort', cancel, { once: true })
      arm(firstByteTimeoutMs)
      call.on('data', (part: GetPart) => {
        if (!started) {
          if (!part.info) {
            call.cancel()
            return reject(new PeerError('protocol', 'Get did not start with info'))
          }
          started = true
          arm(stallTimeoutMs)
          return resolve({ info: part.info, stream: out })
        }
        arm(stallTimeoutMs)
        if (part.data && !out.push(part.data)) call.pause()
      })
      call.on('end', () => {
        if (stall) clearTimeout(stall)
        signal?.removeEventListener('abort', cancel)
        if (!started) return reject(new PeerError('protocol', 'Get ended without info'))
        out.push(null)
      })
      call.on('error', (err: grpc.ServiceError) => {
        if (stall) clearTimeout(stall)
        signal?.removeEventListener('abort', cancel)
        if (!started) {
          if (err.code === grpc.status.NOT_FOUND) return resolve(undefined)
          return reject(toPeerError(err))
        }
        out.destroy(toPeerError(err))
      })
    })
  }

  close(): void {
    this.client?.close()
    this.client = undefined
  }
}

function toPeerError(err: grpc.ServiceError): PeerError {
  const reason =
    err.code === grpc.status.UNAUTHENTICATED ? 'unauthenticated'
    : err.code === grpc.status.PERMISSION_DENIED ? 'refused'
    : err.code === grpc.status.DEADLINE_EXCEEDED ? 'timeout'
    : err.code === grpc.status.UNAVAILABLE ? 'unavailable'
    : err.code === grpc.status.RESOURCE_EXHAUSTED ? 'busy'
    : err.code === grpc.status.CANCELLED ? 'aborted'
    : 'error'
  return new PeerError(reason, err.details || err.message, err.code)
}
