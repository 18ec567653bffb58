import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { LoadedConfig } from '../config/types.js'
import { createLogger, type Logger } from '../log.js'
import type { PeersProvider } from '../stats/types.js'
import { createMetrics, type Metrics } from '../metrics/metrics.js'
import type { LayerSpec } from '../layers/types.js'
import type { LocalBlobStore } from '../store/types.js'
import { daemonId, stateDir } from './identity.js'
import { writeBazelrc, writeProjectBazelrc } from './bazelrc.js'
import { busyPortError } from './busy-port.js'
import { FabrikError } from '../errors/registry.js'
import { startTimeOf } from '../io/process.js'
import { readOwner, removeOwner, writeOwner } from './owner.js'
import { clearRunning, makeStateDir, readState, writeRunning, type Ports } from './state.js'
import { isDaemon } from './verify.js'

/** How often a running daemon checks that its state dir still names it (it may be deleted under it). */
const STATE_CHECK_MS = 1000

export interface RunningDaemon {
  id: string
  dir: string
  ports: Ports
  logger: Logger
  /** Stops accepting, drains in-flight requests (bounded by graceful_shutdown_timeout), closes the store. */
  close(): Promise<void>
}

let serverModules: ReturnType<typeof importServerModules> | undefined

function importServerModules() {
  return Promise.all([
    import('../store/open.js'), import('../http/app.js'), import('../grpc/server.js'), import('../layers/build.js'), import('../stats/open.js'),
  ])
}

/**
 * Starts loading the store, HTTP and gRPC modules (once). The spawned daemon calls this before its config has
 * arrived, so their load overlaps the CLI's config validation; serveDaemon awaits the same promise.
 */
export function loadServerModules(): ReturnType<typeof importServerModules> {
  return (serverModules ??= importServerModules())
}

/**
 * Builds and starts everything a daemon serves — store, metrics, HTTP app, gRPC server (TCP, and the unix
 * socket for Xcode when configured) — then records itself in its state dir. Heavy modules load here, not in
 * the command that calls this.
 */
export async function serveDaemon(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): Promise<RunningDaemon> {
  const { config } = loaded
  const id = daemonId(loaded.config)
  const dir = stateDir(id, env)
  // Everything the daemon creates — state files, cache folders, the index, blobs, the unix socket — is the
  // user's alone: build outputs and logs are not for other local users to read.
  process.umask(0o077)
  makeStateDir(dir)
  const logger = createLogger(config.observability)
  // This config's daemon may still serve the cache dir although its state dir was deleted: give it its state
  // files back rather than open the same store a second time (owner.ts). `daemon start` then reports it.
  const owner = readOwner(config.cache.dir, id)
  if (owner && owner.pid !== process.pid && (await isDaemon({ pid: owner.pid, startTime: owner.start_time, ports: owner.ports }))) {
    writeRunning(dir, owner.pid, owner.ports, owner.config_path, owner.start_time)
    writeBazelrc(dir, owner.ports)
    throw new FabrikError('DAEMON_START_FAILED', `daemon pid ${owner.pid} already serves ${config.cache.dir} for this config; restored its state dir ${dir}`, {
      fix: 'Nothing to do: `fabrik daemon status` reports that daemon.',
    })
  }
  for (const warning of loaded.warnings) logger.warn(warning)
  // Upstream Fabrik silently ignored these; say so instead (docs/architecture.md).
  const unserved = [
    ...(config.url ? ['url'] : []),
  ]
  if (unserved.length > 0) logger.warn({ settings: unserved }, 'these settings are accepted but not served yet')

  const [{ openStoreFromConfig }, { createHttpApp }, { createGrpcServer, bindGrpc }, layers, statsModule] = await loadServerModules()
  const opened = await layers.openLayers(config)
  for (const u of opened.unserved) logger.warn({ upstream: u.url }, `[[upstream]] ${u.url} is not used: ${u.why}`)
  // Figures per tool and layer, tallied in memory and added to <cache dir>/stats.db every few seconds.
  const stats = config.observability.stats ? statsModule.openRecorder(config, logger.child({ component: 'stats' })) : undefined
  const metrics = createMetrics({ ...(stats ? { tap: (o) => stats.observe(o) } : {}), requestLog: config.observability.request_log })
  const token = statsModule.writeDashboardToken(dir)
  const layerLogger = logger.child({ component: 'layers' })
  let local
  try {
    local = openStoreFromConfig(config, {
      logger: logger.child({ component: 'store' }),
      checkpointThread: true,
      uploads: layers.uploadTargets(config, opened.layers),
      onUploadDropped: (dropped) => { for (const name of dropped) assembled?.metrics.upload(name, 'dropped') },
    })
  } catch (err) {
    await Promise.all(opened.layers.map((l) => l.store.close().catch(() => undefined)))
    stats?.close()
    throw err
  }
  // P2P (src/p2p): peers read `local`; this daemon asks them right after the local store (read-only layer).
  const p2p = config.p2p.enabled ? await startP2PFor(config, local, logger, metrics, dir) : undefined
  if (p2p) opened.layers.unshift(p2p.layer)
  // The protocol adapters get the chain: local first, then p2p and each [[upstream]] in order. With none it only
  // adds a pass-through call, so it is used only when there is something behind the local store.
  const assembled: ReturnType<typeof layers.assembleChain> | undefined = opened.layers.length > 0
    ? layers.assembleChain({ local, layers: opened.layers, registry: metrics.registry, logger: layerLogger, observer: stats })
    : undefined
  const store = assembled?.chain ?? local
  if (assembled) {
    logger.info({ layers: opened.layers.map((l) => ({ name: l.name, url: l.id, write_through: l.writeThrough && !l.readOnly })) }, 'layer chain: local first, then these in order')
  }
  let ready = false
  // The dashboard's peers and its Approve/Deny buttons are the P2P control's (what `fabrik p2p list|approve|deny`
  // use); without P2P, none.
  const control = p2p?.running.control
  const peers: PeersProvider = control
    ? {
        list: () => control.list().map((p) => ({
          id: p.machine_id, name: p.hostname || p.machine_id, address: p.address ? `${p.address}:${p.port}` : undefined, consent: p.consent,
        })),
        // As the CLI does: approve for this session unless made permanent there; a deny is remembered.
        decide: async (id, decision) => {
          control.decide(id, decision === 'approve' ? 'approved' : 'denied', decision === 'deny')
        },
      }
    : statsModule.NO_PEERS
  // Top teammates: the bytes each peer exchanged and the hits it served since the last sample, added to the
  // hourly figures.
  const peerSampler = control && stats ? statsModule.samplePeers(stats, () => control.list().map((p) => ({
    name: p.hostname || p.machine_id, bytesIn: p.bytes_downloaded, bytesOut: p.bytes_uploaded, hits: p.hits,
  }))) : undefined
  // The token this daemon sends a regional tier, as read from the daemon's own environment (the CLI asking may have
  // another): without it `fabrik health` said nothing until a request had been refused.
  const sendsToken = assembled?.guarded.some((g) => g.spec.kind === 'grpc') ?? false
  const health = async (): Promise<Record<string, unknown>> => ({
    ...(assembled ? { layers: layers.layerHealth(assembled, local.uploads), uploads_pending: local.uploads.depth().entries } : {}),
    ...(sendsToken ? { upstream_token: (await import('../auth/describe.js')).describeToken(config.auth.token) } : {}),
    ...(stats ? { today: statsModule.todayFigures(stats) } : {}),
    peers: await peers.list(),
  })

  const app = await createHttpApp({
    store,
    localStore: local,
    health,
    dashboard: { token, stats, peers, health },
    metrics,
    logger,
    maxBlobBytes: config.cache.max_size,
    // Every tool's routes are served: [build_systems] enabled decides which tools activation wires up, and a
    // tool pointed at the daemon by hand should still find its protocol.
    ready: () => ready,
    timeouts: {
      header: config.runtime.header_timeout,
      idle: config.runtime.idle_timeout,
      request: config.runtime.request_timeout,
      keepAlive: config.runtime.keep_alive_timeout,
    },
  })
  const grpc = createGrpcServer({
    store,
    metrics,
    logger,
    uploadDir: join(config.cache.dir, 'uploads'),
    cacheMaxBytes: config.cache.max_size,
    xcodeDir: join(config.cache.dir, 'xcode-out'),
    xcode: config.daemon.socket !== undefined,
    timeouts: { idleMs: config.runtime.idle_timeout, keepAliveMs: config.runtime.keep_alive_timeout, requestMs: config.runtime.request_timeout },
  })

  if (p2p) await app.register(p2p.routes, { control: p2p.running.control, token: p2p.running.controlToken })

  try {
    const grpcPort = await bindGrpc(grpc, `127.0.0.1:${config.daemon.grpc_port}`)
    if (config.daemon.socket) {
      rmSync(config.daemon.socket, { force: true })
      await bindGrpc(grpc, `unix:${config.daemon.socket}`)
    }
    await app.listen({ host: '127.0.0.1', port: config.daemon.http_port })
    const address = app.server.address()
    const httpPort = typeof address === 'object' && address ? address.port : config.daemon.http_port
    const ports: Ports = {
      http: httpPort,
      grpc: grpcPort,
      // Metrics are served on the HTTP port (/metrics); upstream's ports.json has the field, so keep it.
      metrics: httpPort,
      ...(config.daemon.socket ? { unix_socket: config.daemon.socket } : {}),
    }
    writeBazelrc(dir, ports)
    if (loaded.path && config.build_systems.enabled.includes('bazel')) {
      // Plain `bazel build` (Bazel < 9 reads no BAZELRC) finds this through the workspace .bazelrc's try-import.
      try {
        writeProjectBazelrc(loaded.baseDir, ports)
      } catch (err) {
        logger.warn({ err }, 'could not write .fabrik/bazelrc in the project folder')
      }
    }
    writeRunning(dir, process.pid, ports, loaded.path)
    const started = startTimeOf(process.pid)
    const record = () => writeOwner(config.cache.dir, id, {
      pid: process.pid, ...(started ? { start_time: started } : {}), state_dir: dir, ports,
      ...(loaded.path ? { config_path: loaded.path } : {}),
    })
    record()
    // A deleted state dir (or pid file) would leave `stop` and `status` blind to this daemon: put it back.
    const stateCheck = setInterval(() => {
      try {
        if (readState(id, dir).pid !== undefined) return
        makeStateDir(dir)
        writeBazelrc(dir, ports)
        writeRunning(dir, process.pid, ports, loaded.path)
        record()
        logger.warn({ state_dir: dir }, 'the state dir was removed while the daemon ran; re-created it')
      } catch (err) {
        logger.warn({ err, state_dir: dir }, 'could not re-create the state dir')
      }
    }, STATE_CHECK_MS)
    stateCheck.unref()
    stats?.start()
    ready = true
    logger.info({ id, ports, config: loaded.path ?? null, cache_dir: config.cache.dir }, 'daemon ready')

    let closing: Promise<void> | undefined
    const close = () =>
      (closing ??= (async () => {
        ready = false
        clearInterval(stateCheck)
        logger.info('daemon draining')
        const timeout = config.runtime.graceful_shutdown_timeout
        const grpcDrained = new Promise<void>((resolve) => grpc.tryShutdown(() => resolve()))
        // server.close() closes idle keep-alive sockets once; a socket whose request finishes during the drain
        // would then stay open until keepAliveTimeout. Keep closing the ones that turn idle.
        const reaper = setInterval(() => app.server.closeIdleConnections(), 50)
        const drained = Promise.all([app.close(), grpcDrained]).finally(() => clearInterval(reaper))
        const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeout).unref())
        if ((await Promise.race([drained, timer])) === 'timeout') {
          logger.warn({ timeout_ms: timeout }, 'drain timed out; closing remaining connections')
          grpc.forceShutdown()
          app.server.closeAllConnections()
          clearInterval(reaper)
        }
        await p2p?.running.close()
        await store.close()
        peerSampler?.stop()
        stats?.close()
        if (config.daemon.socket) rmSync(config.daemon.socket, { force: true })
        clearRunning(dir)
        removeOwner(config.cache.dir, id)
        logger.info('daemon stopped')
      })())
    return { id, dir, ports, logger, close }
  } catch (err) {
    grpc.forceShutdown()
    await app.close().catch(() => undefined)
    await p2p?.running.close()
    await store.close()
    peerSampler?.stop()
    stats?.close()
    throw busyPortError(err, config, env) ?? err
  }
}

async function startP2PFor(config: LoadedConfig['config'], local: LocalBlobStore, logger: Logger, metrics: Metrics, dir: string) {
  const [{ startP2P }, { p2pControlRoutes }] = await Promise.all([import('../p2p/index.js'), import('../p2p/control-routes.js')])
  try {
    const running = await startP2P({ config: config.p2p, local, logger: logger.child({ component: 'p2p' }), registry: metrics.registry, stateDir: dir })
    const layer: LayerSpec = {
      id: 'p2p',
      name: 'p2p',
      kind: 'p2p',
      store: running.layer,
      timeoutMs: config.p2p.request_timeout,
      // Peers are only read: nothing is ever queued for them (the PeerLayer refuses puts).
      readOnly: true,
      writeThrough: false,
      workers: 1,
      // PeerLayer skips failing peers itself; the breaker only trips when every peer keeps failing.
      breaker: { failures: 5, cooldownMs: 10_000 },
      // PeerLayer verifies each peer's bytes itself (src/p2p/layer.ts), blaming the peer that sent bad ones.
      checksDigests: true,
    }
    return { running, layer, routes: p2pControlRoutes }
  } catch (err) {
    // E.g. bind_port taken by another project's daemon: the builds still get their local cache.
    logger.error({ err }, 'p2p could not start; serving without P2P')
    return undefined
  }
}
