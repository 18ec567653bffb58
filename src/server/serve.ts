import { readFileSync } from 'node:fs'
import * as grpc from '@grpc/grpc-js'
import type { LoadedConfig } from '../config/types.js'
import { openKeySource } from '../auth/keys.js'
import { TenantStore, requestPrincipal } from '../auth/tenant.js'
import { TokenVerifier } from '../auth/verify.js'
import { createHttpApp } from '../http/app.js'
import { loadProtos } from '../grpc/protos.js'
import { bindGrpc, createGrpcServer } from '../grpc/server.js'
import { assembleChain, layerHealth, openLayers } from '../layers/build.js'
import { createLogger, type Logger } from '../log.js'
import { createMetrics } from '../metrics/metrics.js'
import { untilStopped } from '../io/until-stopped.js'
import { openStoreFromConfig } from '../store/open.js'
import { Authenticator } from './authenticator.js'
import { fabrikCacheService } from './fabrik-cache.js'
import { Readiness } from './readiness.js'
import { grpcAuthenticate } from './grpc-auth.js'
import { httpAuthenticate } from './http-auth.js'

export const DEFAULT_HTTP_BIND = '127.0.0.1:9091'

export interface RunningServer {
  httpPort: number
  grpcPort: number
  logger: Logger
  close(): Promise<void>
}

function splitBind(bind: string): { host: string; port: number } {
  const at = bind.lastIndexOf(':')
  return { host: bind.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(bind.slice(at + 1)) }
}

/**
 * `fabrik server`: the regional tier. The daemon's engine — every tool's HTTP protocol, REAPI/ByteStream — plus the
 * daemon-facing fabrik.v1.FabrikCache, with a JWT checked on every request and every key scoped by the token's
 * tenant. Its store is a local disk cache in front of S3, written through synchronously: a replica may vanish with
 * its disk, and an acknowledged entry must already be in the bucket. Any replica answers any key (a local miss
 * reads the bucket), so replicas share nothing but the bucket.
 */
export async function serveServer(loaded: LoadedConfig): Promise<RunningServer> {
  const { config } = loaded
  const logger = createLogger(config.observability)
  for (const warning of loaded.warnings) logger.warn(warning)
  // Both ports speak TLS when a certificate and key are configured (config/load.ts refuses one without the other).
  const tlsFiles = config.server.tls_cert && config.server.tls_key
    ? { cert: readFileSync(config.server.tls_cert), key: readFileSync(config.server.tls_key) }
    : undefined
  const auth = config.auth
  const hasKeys = auth.public_key_file !== undefined || auth.public_key !== undefined || auth.jwks_url !== undefined
  const verifier = hasKeys || auth.required
    ? new TokenVerifier(await openKeySource(auth, logger.child({ component: 'auth' })), { issuer: auth.issuer, audience: auth.audience })
    : undefined
  const authenticator = new Authenticator(verifier, auth.required)

  const opened = await openLayers(config)
  for (const u of opened.unserved) logger.warn({ upstream: u.url }, `[[upstream]] ${u.url} is not used: ${u.why}`)
  const local = openStoreFromConfig(config, { logger: logger.child({ component: 'store' }), checkpointThread: true })
  const metrics = createMetrics({ requestLog: config.observability.request_log })
  const assembled = assembleChain({ local, layers: opened.layers, registry: metrics.registry, logger: logger.child({ component: 'layers' }), syncWrites: true })
  const store = new TenantStore(assembled.chain)
  let accepting = false
  // Ready while accepting and the store and every layer behind it answered their last probe (a replica whose bucket
  // is unreachable cannot keep its promise that acknowledged entries are in the bucket: the balancer should send
  // traffic elsewhere). readiness.ts says why the breakers' state alone would not do.
  const readiness = new Readiness({ local, tmpDir: local.layout.tmp, layers: assembled.guarded, logger: logger.child({ component: 'readiness' }) })
  const ready = () => accepting && readiness.ready

  const app = await createHttpApp({
    store,
    localStore: local,
    metrics,
    logger,
    maxBlobBytes: config.cache.max_size,
    allowedHosts: 'any',
    authenticate: httpAuthenticate(authenticator),
    ready,
    ...(tlsFiles ? { tls: tlsFiles } : {}),
    health: () => ({ layers: layerHealth(assembled, undefined), readiness: readiness.report(), auth: { required: auth.required, keys: verifier ? 'configured' : 'none' } }),
    // The same [runtime] bounds as the daemon's: a replica faces CI machines and balancers that stall too.
    timeouts: {
      header: config.runtime.header_timeout,
      idle: config.runtime.idle_timeout,
      request: config.runtime.request_timeout,
      keepAlive: config.runtime.keep_alive_timeout,
    },
  })
  const grpcServer = createGrpcServer({
    store,
    metrics,
    logger,
    wrapHandlers: grpcAuthenticate(authenticator),
    // Every handler runs inside its principal's scope (grpcAuthenticate): a tenant's partial uploads are its own.
    uploadScope: () => requestPrincipal.getStore()?.tenant ?? '',
    cacheMaxBytes: config.cache.max_size,
    timeouts: { idleMs: config.runtime.idle_timeout, keepAliveMs: config.runtime.keep_alive_timeout, requestMs: config.runtime.request_timeout },
    extraServices: (ctx) => [[loadProtos().fabrik.v1.FabrikCache.service, fabrikCacheService(ctx) as unknown as grpc.UntypedServiceImplementation]],
  })
  try {
    const tls = tlsFiles ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: tlsFiles.cert, private_key: tlsFiles.key }]) : undefined
    const grpcPort = await bindGrpc(grpcServer, config.server.bind, tls)
    const http = splitBind(config.observability.api_bind ?? DEFAULT_HTTP_BIND)
    await app.listen({ host: http.host, port: http.port })
    const address = app.server.address()
    const httpPort = typeof address === 'object' && address ? address.port : http.port
    await readiness.start()
    accepting = true
    logger.info({ http: `${http.host}:${httpPort}`, grpc: `${splitBind(config.server.bind).host}:${grpcPort}`, tls: tls !== undefined, auth_required: auth.required, layers: opened.layers.map((l) => l.id) }, 'fabrik server ready')

    let closing: Promise<void> | undefined
    const close = () =>
      (closing ??= (async () => {
        accepting = false
        logger.info('server draining')
        const drained = Promise.all([app.close(), new Promise<void>((r) => grpcServer.tryShutdown(() => r()))])
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.runtime.graceful_shutdown_timeout).unref())
        if ((await Promise.race([drained, timer])) === 'timeout') {
          grpcServer.forceShutdown()
          app.server.closeAllConnections()
        }
        await readiness.stop()
        await store.close()
        verifier?.close()
        logger.info('server stopped')
      })())
    return { httpPort, grpcPort, logger, close }
  } catch (err) {
    await readiness.stop()
    grpcServer.forceShutdown()
    await app.close().catch(() => undefined)
    await store.close()
    verifier?.close()
    throw err
  }
}

/** Serves until SIGTERM or SIGINT, then drains and returns (`fabrik server` in the foreground). */
export async function runServer(loaded: LoadedConfig): Promise<void> {
  await untilStopped(await serveServer(loaded))
}
