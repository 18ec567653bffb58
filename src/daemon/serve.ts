import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { LoadedConfig } from '../config/types.js'
import { createLogger, type Logger } from '../log.js'
import { createMetrics } from '../metrics/metrics.js'
import { daemonId, stateDir } from './identity.js'
import { writeBazelrc, writeProjectBazelrc } from './bazelrc.js'
import { clearRunning, writeRunning, type Ports } from './state.js'

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
  const id = daemonId(loaded.bytes)
  const dir = stateDir(id, env)
  mkdirSync(dir, { recursive: true })
  const logger = createLogger(config.observability)
  for (const warning of loaded.warnings) logger.warn(warning)
  // Upstream Fabrik silently ignored these; say so instead (docs/architecture.md).
  const unserved = [
    ...(config.url ? ['url'] : []),
    ...(config.p2p.enabled ? ['[p2p] enabled'] : []),
  ]
  if (unserved.length > 0) logger.warn({ settings: unserved }, 'these settings are accepted but not served yet')

  const [{ openStoreFromConfig }, { createHttpApp }, { createGrpcServer, bindGrpc }, layers, statsModule] = await loadServerModules()
  const opened = await layers.openLayers(config)
  for (const u of opened.unserved) logger.warn({ upstream: u.url }, `[[upstream]] ${u.url} is not used: ${u.why}`)
  // Figures per tool and layer, tallied in memory and added to <cache dir>/stats.db every few seconds.
  const stats = config.observability.stats ? statsModule.openRecorder(config, logger.child({ component: 'stats' })) : undefined
  const metrics = createMetrics(stats ? { tap: (o) => stats.observe(o) } : {})
  const token = statsModule.writeDashboardToken(dir)
  const layerLogger = logger.child({ component: 'layers' })
  let local
  try {
    local = openStoreFromConfig(config, {
      logger: logger.child({ component: 'store' }),
      uploads: layers.uploadTargets(config, opened.layers),
      onUploadDropped: (dropped) => { for (const name of dropped) assembled?.metrics.upload(name, 'dropped') },
    })
  } catch (err) {
    await Promise.all(opened.layers.map((l) => l.store.close().catch(() => undefined)))
    stats?.close()
    throw err
  }
  // The protocol adapters get the chain: local first, then each [[upstream]] in order. With none it only adds a
  // pass-through call, so it is used only when there is something behind the local store.
  const assembled: ReturnType<typeof layers.assembleChain> | undefined = opened.layers.length > 0
    ? layers.assembleChain({ local, layers: opened.layers, registry: metrics.registry, logger: layerLogger, observer: stats })
    : undefined
  const store = assembled?.chain ?? local
  if (assembled) {
    logger.info({ layers: opened.layers.map((l) => ({ name: l.name, url: l.id, write_through: l.writeThrough && !l.readOnly })) }, 'layer chain: local first, then these in order')
  }
  let ready = false
  const peers = statsModule.NO_PEERS
  const health = async (): Promise<Record<string, unknown>> => ({
    ...(assembled ? { layers: layers.layerHealth(assembled, local.uploads), uploads_pending: local.uploads.depth().entries } : {}),
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
  })
  const grpc = createGrpcServer({
    store,
    metrics,
    logger,
    uploadDir: join(config.cache.dir, 'uploads'),
    xcodeDir: join(config.cache.dir, 'xcode-out'),
    xcode: config.daemon.socket !== undefined,
  })

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
    stats?.start()
    ready = true
    logger.info({ id, ports, config: loaded.path ?? null, cache_dir: config.cache.dir }, 'daemon ready')

    let closing: Promise<void> | undefined
    const close = () =>
      (closing ??= (async () => {
        ready = false
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
        await store.close()
        stats?.close()
        if (config.daemon.socket) rmSync(config.daemon.socket, { force: true })
        clearRunning(dir)
        logger.info('daemon stopped')
      })())
    return { id, dir, ports, logger, close }
  } catch (err) {
    grpc.forceShutdown()
    await app.close().catch(() => undefined)
    await store.close()
    stats?.close()
    throw err
  }
}
