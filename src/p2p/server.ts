import * as grpc from '@grpc/grpc-js'
import type { Logger } from '../log.js'
import { readFrame, readFrameNow, sendFramesAsIs, sendReader } from '../grpc/frames.js'
import { MAX_CHUNK, Sender, slices } from '../grpc/streams.js'
import { validateKey, validateNamespace } from '../store/keys.js'
import type { BlobStore, RangeReader } from '../store/types.js'
import type { ConsentPolicy, ConsentState } from './consent.js'
import type { P2PIdentity } from './identity.js'
import type { P2PMetrics } from './metrics.js'
import { isSharedNamespace } from './namespaces.js'
import { CHUNK, DATA_TAG, FIRST_CHUNK, METHOD, type GetPart } from './proto.js'
import { META, helloProof, type RequestVerifier, type SignedHeaders } from './signing.js'
import { VERSION } from './version.js'

// The serving side of fabrik.p2p.v1.P2PCache: what a teammate's daemon may read from this one. Every call is
// authenticated (signing.ts) before anything else; Exists and Get also need consent (consent.ts); only shared
// namespaces are visible; nothing here ever writes to the local store.

export interface ServeDeps {
  local: BlobStore
  identity: P2PIdentity
  verifier: RequestVerifier
  helloKey: Buffer
  consent: ConsentPolicy
  metrics: P2PMetrics
  logger: Logger
  /** Concurrent Exists/Get calls per peer; all peers together get 4× this. */
  maxConcurrentPerPeer: number
  /** Told about every authenticated caller (for `p2p list`: last seen, bytes sent). */
  onServed?: (machineId: string, fingerprint: string, address: string, bytes: number, hostname?: string) => void
}

const MAX_EXISTS_KEYS = 256

interface Caller {
  machineId: string
  fingerprint: string
  address: string
}

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>

function headers(md: grpc.Metadata): Partial<SignedHeaders> {
  const one = (name: string) => {
    const v = md.get(name)[0]
    return typeof v === 'string' ? v : undefined
  }
  return {
    sender: one(META.sender),
    target: one(META.target),
    timestamp: one(META.timestamp),
    nonce: one(META.nonce),
    mac: one(META.mac),
    publicKey: one(META.publicKey),
    signature: one(META.signature),
  }
}

/** "ipv4:10.0.0.2:5555", "10.0.0.2:5555", "[::1]:5555" → the address part. */
export function peerAddress(peer: string): string {
  const p = peer.replace(/^ipv[46]:/, '')
  const m = /^\[([^\]]+)\]:\d+$/.exec(p) ?? /^([^:]+):\d+$/.exec(p)
  return m?.[1] ?? p
}

class Refusal extends Error {
  constructor(readonly code: grpc.status, message: string) {
    super(message)
  }
}

export function p2pHandlers(deps: ServeDeps): grpc.UntypedServiceImplementation {
  const { metrics, logger } = deps
  sendFramesAsIs() // stored files go out in ready-made frames (grpc/frames.ts)
  const inFlight = new Map<string, number>()
  let total = 0
  const maxTotal = deps.maxConcurrentPerPeer * 4

  function authenticate(call: AnyCall, method: string, subjects: string[]): Caller {
    const result = deps.verifier.verify(method, subjects, headers(call.metadata))
    if (!result.ok) {
      metrics.authFailures.inc({ reason: result.reason })
      logger.debug({ reason: result.reason, peer: call.getPeer(), method }, 'p2p: refused an unauthenticated request')
      throw new Refusal(grpc.status.UNAUTHENTICATED, `P2P_AUTH: request refused (${result.reason})`)
    }
    return { machineId: result.sender, fingerprint: result.fingerprint, address: peerAddress(call.getPeer()) }
  }

  function consentFor(caller: Caller, hostname = caller.address): ConsentState {
    return deps.consent.check({ ...caller, hostname })
  }

  function requireConsent(caller: Caller): void {
    const state = consentFor(caller)
    if (state === 'approved') return
    metrics.authFailures.inc({ reason: `consent_${state}` })
    // A quick refusal: the requesting build moves on to its next layer instead of waiting for a human.
    throw new Refusal(grpc.status.PERMISSION_DENIED, `P2P_CONSENT: ${state}`)
  }

  function admit(caller: Caller): () => void {
    const mine = inFlight.get(caller.machineId) ?? 0
    if (mine >= deps.maxConcurrentPerPeer || total >= maxTotal) {
      metrics.authFailures.inc({ reason: 'busy' })
      throw new Refusal(grpc.status.RESOURCE_EXHAUSTED, 'P2P_BUSY: too many concurrent requests')
    }
    inFlight.set(caller.machineId, mine + 1)
    total++
    let released = false
    return () => {
      if (released) return
      released = true
      total--
      const n = (inFlight.get(caller.machineId) ?? 1) - 1
      if (n <= 0) inFlight.delete(caller.machineId)
      else inFlight.set(caller.machineId, n)
    }
  }

  const fail = (err: unknown): grpc.ServiceError => {
    if (err instanceof Refusal) return Object.assign(new Error(err.message), { code: err.code, details: err.message, metadata: new grpc.Metadata() })
    const e = err as { kind?: string; message?: string; code?: string }
    const code = e.kind === 'invalid_argument' ? grpc.status.INVALID_ARGUMENT : e.kind === 'aborted' ? grpc.status.CANCELLED : grpc.status.INTERNAL
    return Object.assign(new Error(String(e.message)), { code, details: String(e.message), metadata: new grpc.Metadata() })
  }

  return {
    Hello(call: grpc.ServerUnaryCall<{ challenge: string; hostname: string; version: string }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      try {
        const req = call.request
        const caller = authenticate(call, METHOD.hello, [req.challenge])
        if (!/^[0-9a-f]{64}$/.test(req.challenge)) throw new Refusal(grpc.status.INVALID_ARGUMENT, 'challenge must be 32 bytes of hex')
        metrics.requests.inc({ method: 'hello' })
        const hostname = req.hostname.slice(0, 253) || caller.address
        const consent = consentFor(caller, hostname)
        deps.onServed?.(caller.machineId, caller.fingerprint, caller.address, 0, hostname)
        callback(null, {
          proof: helloProof(deps.helloKey, req.challenge, deps.identity.fingerprint, caller.fingerprint),
          machine_id: deps.identity.machineId,
          hostname: deps.identity.hostname,
          version: VERSION,
          consent,
        })
      } catch (err) {
        callback(fail(err))
      }
    },

    Exists(call: grpc.ServerUnaryCall<{ keys: { namespace: string; key: string }[] }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      let release: (() => void) | undefined
      const run = async () => {
        const keys = call.request.keys
        const caller = authenticate(call, METHOD.exists, keys.map((k) => `${k.namespace}/${k.key}`))
        if (keys.length > MAX_EXISTS_KEYS) throw new Refusal(grpc.status.INVALID_ARGUMENT, `at most ${MAX_EXISTS_KEYS} keys per call`)
        requireConsent(caller)
        release = admit(caller)
        metrics.requests.inc({ method: 'exists' })
        deps.onServed?.(caller.machineId, caller.fingerprint, caller.address, 0)
        const entries = await Promise.all(
          keys.map(async (k) => {
            if (!isSharedNamespace(k.namespace)) return { found: false }
            const stat = await deps.local.stat(validateNamespace(k.namespace), validateKey(k.key))
            return stat ? { found: true, size: String(stat.size), sha256: stat.sha256, meta: stat.meta } : { found: false }
          }),
        )
        return { entries }
      }
      run()
        .then((res) => callback(null, res), (err) => callback(fail(err)))
        .finally(() => release?.())
    },

    Get(call: grpc.ServerWritableStream<{ key: { namespace: string; key: string } | null; offset: string }, GetPart>) {
      let release: (() => void) | undefined
      const abort = new AbortController()
      call.on('cancelled', () => abort.abort())
      const run = async () => {
        const { key, offset: rawOffset } = call.request
        const ns = key?.namespace ?? ''
        const k = key?.key ?? ''
        const offset = Number(rawOffset || 0)
        const caller = authenticate(call, METHOD.get, [`${ns}/${k}`, `offset=${offset}`])
        requireConsent(caller)
        release = admit(caller)
        metrics.requests.inc({ method: 'get' })
        if (!isSharedNamespace(ns)) throw new Refusal(grpc.status.NOT_FOUND, 'NOT_FOUND')
        const result = await deps.local.get(validateNamespace(ns), validateKey(k), { offset, signal: abort.signal })
        if (!result) throw new Refusal(grpc.status.NOT_FOUND, 'NOT_FOUND')
        if (offset > result.size) {
          await result.reader?.close()
          throw new Refusal(grpc.status.OUT_OF_RANGE, 'offset past the end')
        }
        let sent = 0
        const count = (n: number) => (sent += n)
        // Bounded by bytes, not messages: grpc-js would queue 16 one-MiB messages per call otherwise. The first
        // message of a larger entry is small: gRPC hands a message over only once all of it arrived, so the peer's
        // first byte would otherwise wait for a whole 1 MiB through TLS (bench:p2p, 64 MiB first byte).
        const sender = new Sender(call)
        const info: GetPart = { info: { found: true, size: String(result.size), sha256: result.sha256, meta: result.meta } as never }
        if (result.reader) {
          const reader = result.reader
          try {
            await sendFile(call, info, sender, reader, count)
          } finally {
            await reader.close()
          }
        } else {
          await write(call, info)
          const source = result.data !== undefined ? [result.data] : (result.stream as AsyncIterable<Buffer>)
          for await (let chunk of slices(source, CHUNK)) {
            if (sent === 0 && chunk.length > FIRST_CHUNK) {
              await sender.send({ data: chunk.subarray(0, FIRST_CHUNK) }, count(FIRST_CHUNK))
              chunk = chunk.subarray(FIRST_CHUNK)
            }
            await sender.send({ data: chunk }, count(chunk.length))
          }
        }
        metrics.bytesUploaded.inc(sent)
        deps.onServed?.(caller.machineId, caller.fingerprint, caller.address, sent)
        call.end()
      }
      run()
        .catch((err) => {
          if (call.cancelled) return
          call.emit('error', fail(err))
        })
        .finally(() => release?.())
    },
  }
}

/**
 * The info message, then a stored file's bytes. The first piece is read at once on this thread where the store
 * can (RangeReader.readNow: a threadpool round trip after an idle spell cost more than the whole first read),
 * else started before the info is written, so that read and write overlap (bench:p2p, 64 MiB first byte).
 */
async function sendFile(call: grpc.ServerWritableStream<unknown, GetPart>, info: GetPart, sender: Sender<unknown>, reader: RangeReader, count: (n: number) => void): Promise<void> {
  const n = Math.min(FIRST_CHUNK, reader.remaining)
  const first = n === 0 ? undefined : (readFrameNow(reader, n, DATA_TAG) ?? readFrame(reader, n, DATA_TAG))
  // Handled now, awaited below: a read failing while the info write waits for 'drain' must not be "unhandled".
  if (first instanceof Promise) first.catch(() => undefined)
  try {
    await write(call, info)
  } catch (err) {
    // The handle is closed after this returns: the read must be over by then, and its frame goes back.
    await Promise.resolve(first).then((frame) => frame?.release(), () => undefined)
    throw err
  }
  await sendReader(sender, reader, DATA_TAG, count, first ? await first : MAX_CHUNK)
}

/** One message, waiting for 'drain' when grpc-js' buffer is full (a slow peer holds back the read). */
function write(call: grpc.ServerWritableStream<unknown, GetPart>, message: GetPart): Promise<void> {
  if (call.cancelled || call.destroyed) return Promise.reject(new Error('cancelled'))
  if (call.write(message)) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const drained = () => {
      call.off('close', closed)
      resolve()
    }
    const closed = () => {
      call.off('drain', drained)
      reject(new Error('cancelled'))
    }
    call.once('drain', drained)
    call.once('close', closed)
  })
}
