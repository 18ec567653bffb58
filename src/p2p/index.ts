import { join } from 'node:path'
import * as grpc from '@grpc/grpc-js'
import type { Registry } from 'prom-client'
import type { FabrikConfig } from '../config/types.js'
import { FabrikError } from '../errors/registry.js'
import type { Logger } from '../log.js'
import type { BlobStore } from '../store/types.js'
import { PeerClient, type PeerEndpoint } from './client.js'
import { ConsentPolicy } from './consent.js'
import { ConsentStore } from './consent-store.js'
import { createControl, type P2PControl } from './control.js'
import { createControlToken } from './control-token.js'
import { startDiscovery, type Discovery } from './discovery.js'
import { loadOrCreateIdentity, p2pDataDir, type P2PIdentity } from './identity.js'
import { lanAddresses } from './interfaces.js'
import { PeerLayer } from './layer.js'
import { createP2PMetrics, type P2PMetrics } from './metrics.js'
import { PeerTable, type PeerState } from './peers.js'
import { NO_PROMPT, platformPrompter, type Prompter } from './prompt.js'
import { p2pService } from './proto.js'
import { p2pHandlers } from './server.js'
import { RequestSigner, RequestVerifier, helloKey as deriveHelloKey, requestKey } from './signing.js'

// startP2P: the whole P2P stack of one daemon — identity, TLS gRPC server on the LAN address(es), mDNS,
// the Hello liveness loop, consent, and the read-only PeerLayer the layer chain puts right after the local store.

export interface StartP2POptions {
  config: FabrikConfig['p2p']
  /** The store served to approved peers (the local store: never the chain, or peers would relay each other). */
  local: BlobStore
  logger: Logger
  /** The daemon's prom-client registry (Metrics.registry). */
  registry: Registry
  /** The daemon's state dir: the control token goes there. */
  stateDir: string
  env?: NodeJS.ProcessEnv
  /** Addresses to listen and multicast on; default: the LAN addresses (interfaces.ts). Tests pass 127.0.0.1. */
  interfaces?: string[]
  /** Peers to dial without mDNS (tests, benchmarks). */
  staticPeers?: PeerEndpoint[]
  prompter?: Prompter
  /** Hello every peer this often (liveness). Default 2 s. */
  helloIntervalMs?: number
}

export interface RunningP2P {
  /** The read-only peer layer (BlobStore) for the chain: local → p2p → regional → s3. */
  layer: PeerLayer
  control: P2PControl
  /** For the control routes (control-routes.ts). */
  controlToken: string
  identity: P2PIdentity
  port: number
  addresses: string[]
  metrics: P2PMetrics
  peers: PeerTable
  close(): Promise<void>
}

export async function startP2P(o: StartP2POptions): Promise<RunningP2P> {
  const { config, logger } = o
  const env = o.env ?? process.env
  if (!config.secret || config.secret.length < 16) throw new FabrikError('CONFIG_INVALID', '[p2p] secret must be at least 16 characters when P2P is enabled')
  const dataDir = p2pDataDir(env)
  const identity = loadOrCreateIdentity(dataDir, env)
  const metrics = createP2PMetrics(o.registry)
  const reqKey = requestKey(config.secret)
  const proofKey = deriveHelloKey(config.secret)
  const signer = new RequestSigner(reqKey, identity.machineId, identity.privateKey, identity.publicKeyDer, identity.fingerprint)
  const verifier = new RequestVerifier(reqKey, identity.fingerprint)
  const prompter = o.prompter ?? (config.consent_mode.startsWith('notify') ? await platformPrompter(env) : NO_PROMPT)
  const consent = new ConsentPolicy(config.consent_mode, new ConsentStore(join(dataDir, 'consents.json')), prompter, config.consent_timeout, logger, metrics)
  const peers = new PeerTable()
  const addresses = o.interfaces ?? lanAddresses()
  if (addresses.length === 0) logger.warn('p2p: no LAN address found (private IPv4 on a real interface); P2P neither listens nor announces')

  const server = new grpc.Server({ 'grpc.max_receive_message_length': 1024 * 1024 })
  server.addService(
    p2pService(),
    p2pHandlers({
      local: o.local,
      identity,
      verifier,
      helloKey: proofKey,
      consent,
      metrics,
      logger,
      maxConcurrentPerPeer: config.max_concurrent_requests,
      onServed: (id, fp, address, bytes, hostname) => peers.inbound(id, fp, address, bytes, hostname),
    }),
  )
  const creds = grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(identity.keyPem), cert_chain: Buffer.from(identity.certPem) }], false)
  let port = config.bind_port
  try {
    for (const address of addresses) {
      port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(`${address}:${port}`, creds, (err, bound) => (err ? reject(new FabrikError('DAEMON_START_FAILED', `p2p: cannot listen on ${address}:${port}: ${err.message}`, { cause: err })) : resolve(bound))),
      )
    }
  } catch (err) {
    server.forceShutdown()
    await prompter.close()
    throw err
  }

  const timeout = config.request_timeout
  const makeClient = (e: PeerEndpoint) => new PeerClient(e, identity, signer, proofKey, timeout)
  const hello = async (p: PeerState) => {
    if (!p.client) return
    try {
      const h = await p.client.hello(timeout)
      if (h.machineId !== p.machineId) throw new Error(`answered as machine ${h.machineId}, announced ${p.machineId}`)
      p.alive = true
      p.latencyMs = h.latencyMs
      p.theirConsent = h.consent
      p.hostname = h.hostname || p.hostname
      peers.succeeded(p)
    } catch (err) {
      peers.failed(p, (err as { reason?: string }).reason ?? 'hello')
      p.alive = false
      logger.debug({ peer: p.machineId, address: p.address, err: (err as Error).message }, 'p2p: Hello failed')
    }
  }
  const addPeer = (e: PeerEndpoint & { instance?: string; source: 'mdns' | 'static' }) => {
    const pinned = consent.pinnedFingerprint(e.machineId)
    if (pinned && pinned !== e.fingerprint) {
      // Someone announces a machine we decided about, with another key: not that machine (or it was re-installed).
      logger.warn({ peer: e.machineId, address: e.address, pinned: pinned.slice(0, 16), announced: e.fingerprint.slice(0, 16) }, 'p2p: a peer announced a known machine id with another key; ignored (approve it again if it was re-installed)')
      return
    }
    const known = peers.get(e.machineId)
    const state = peers.upsert(e, makeClient)
    if (state !== known) {
      logger.info({ peer: e.machineId, hostname: e.hostname, address: e.address, port: e.port }, 'p2p: peer found')
      void hello(state)
    }
  }
  for (const e of o.staticPeers ?? []) addPeer({ ...e, source: 'static' })

  let discovery: Discovery | undefined
  if ((config.discovery || config.advertise) && addresses.length > 0) {
    discovery = await startDiscovery({
      identity,
      interfaces: addresses,
      port,
      advertise: config.advertise,
      browse: config.discovery,
      logger,
      onUp: (d) => addPeer({ ...d, source: 'mdns' }),
      onDown: (instance) => peers.removeInstance(instance),
    })
  }
  let ticks = 0
  const loop = setInterval(() => {
    for (const p of peers.list()) if (p.source !== 'inbound') void hello(p)
    if (++ticks % 5 === 0) discovery?.refresh()
  }, o.helloIntervalMs ?? 2000)
  loop.unref()

  const trusted = (p: PeerState) => consent.savedDecision(p.machineId) !== 'denied'
  const layer = new PeerLayer({ peers, metrics, logger, requestTimeoutMs: timeout, maxPeers: config.max_peers, trusted })
  const control = createControl({ identity, peers, consent, addresses, port, instance: () => discovery?.instance ?? null })
  const controlToken = createControlToken(o.stateDir)
  logger.info({ machine_id: identity.machineId, fingerprint: identity.fingerprint.slice(0, 16), addresses, port, consent_mode: config.consent_mode }, 'p2p: listening')

  let closing: Promise<void> | undefined
  return {
    layer,
    control,
    controlToken,
    identity,
    port,
    addresses,
    metrics,
    peers,
    close: () =>
      (closing ??= (async () => {
        clearInterval(loop)
        await discovery?.close()
        peers.close()
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            server.forceShutdown()
            resolve()
          }, 2000)
          server.tryShutdown(() => {
            clearTimeout(t)
            resolve()
          })
        })
        await prompter.close()
      })()),
  }
}

export type { P2PControl } from './control.js'
export { PeerLayer } from './layer.js'
