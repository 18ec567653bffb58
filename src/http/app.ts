import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import type { BuildSystem } from '../config/types.js'
import type { Metrics } from '../metrics/metrics.js'
import type { BlobStore, LocalBlobStore } from '../store/types.js'
import { bazelPlugin } from './bazel/plugin.js'
import { registerBodyParsers } from './body.js'
import { ccachePlugin } from './ccache/plugin.js'
import { installErrorHandler } from './errors.js'
import { handleExpectContinue, sendContinue } from './expect-continue.js'
import { gradlePlugin } from './gradle/plugin.js'
import { hostGuard, LOOPBACK_HOSTS } from './host-guard.js'
import { metroPlugin } from './metro/plugin.js'
import { nxPlugin } from './nx/plugin.js'
import { dashboardPlugin, type DashboardOptions } from './dashboard.js'
import { observabilityPlugin } from './observability.js'
import { statsRoutes } from './stats-routes.js'
import { sccachePlugin } from './sccache/plugin.js'
import { installTracking, startTracking, type ToolOptions } from './track.js'
import { turboPlugin } from './turbo/plugin.js'

// The daemon's HTTP surface: every HTTP build-cache protocol on one port, plus /health, /ready and /metrics.
// This factory never listens — the daemon does, tests use inject() or listen on 127.0.0.1:0.
//
// Route precedence (find-my-way: static > parametric > wildcard, whatever the registration order):
//   /health /ready /metrics                  observability
//   /v8/artifacts/...                        Turborepo            (also reached as //v8/..., see rewriteUrl)
//   /v1/cache/:hash                          Nx
//   /cache/:key                              Gradle
//   /ac/:sha256  /cas/:sha256                Bazel HTTP cache     (a bare /ac/<hex> is Bazel's, not ccache's)
//   /api/v1/artifacts/:hex                   Metro
//   /sccache  /sccache/*                     sccache WebDAV
//   /_fabrik/...                             the local dashboard (dashboard.ts; token, Host and Origin checked)
//   /*  (GET HEAD PUT DELETE)                ccache, any path prefix — only when nothing above matched
// Anything else is a 404 {code, message}; OPTIONS is never routed, so no CORS preflight can succeed.

export interface HttpAppDeps {
  store: BlobStore
  /** For /metrics' store size, object count and evictions when `store` is a chain over it; default `store`. */
  localStore?: LocalBlobStore
  metrics: Metrics
  /** The daemon's pino logger (a child with authorization headers redacted is used), or false for none. */
  logger?: Logger | false
  /** Uploads larger than this are refused with 413 and nothing is stored. */
  maxBlobBytes: number
  /**
   * Host names (without port) the daemon answers to; default loopback only. 'any' for `fabrik server`, which sits
   * behind load balancers under any name and authenticates every request instead.
   */
  allowedHosts?: readonly string[] | 'any'
  /**
   * Runs after the Host check and before any route (fabrik server: JWT verification and the tenant scope). It
   * either answers the request itself or calls `done` — inside whatever async context the routes must see.
   */
  authenticate?: (request: FastifyRequest, reply: FastifyReply, done: () => void) => void
  /** Register only these tools' routes; default all. */
  enabled?: readonly BuildSystem[]
  /** /ready answers 503 while this returns false. */
  ready?: () => boolean
  /** [runtime] timeouts in ms (docs/configuration.md); default: those of defaultConfig(). */
  timeouts?: HttpTimeouts
  /** Serve HTTPS with this certificate chain and key (PEM) instead of plaintext HTTP (fabrik server's [server] TLS). */
  tls?: { cert: Buffer; key: Buffer }
  /** More figures for /health (the layer chain: each layer's state and upload queue). */
  health?: () => Record<string, unknown> | Promise<Record<string, unknown>>
  /** The local dashboard under /_fabrik/ (the daemon's token, figures and peers); absent: not served. */
  dashboard?: DashboardOptions
}

export interface HttpTimeouts {
  header: number
  idle: number
  request: number
  keepAlive: number
}

const DEFAULT_TIMEOUTS: HttpTimeouts = { header: 10_000, idle: 30_000, request: 600_000, keepAlive: 60_000 }

const TOOL_PLUGINS: Record<Exclude<BuildSystem, 'xcode'>, FastifyPluginAsync<ToolOptions>> = {
  turborepo: turboPlugin,
  nx: nxPlugin,
  gradle: gradlePlugin,
  bazel: bazelPlugin,
  ccache: ccachePlugin,
  sccache: sccachePlugin,
  metro: metroPlugin,
}

/** The compiler factories of an app without schemas: a route that declares one fails at startup, loudly. */
function noSchemas(): () => never {
  return () => {
    throw new Error('Fabrik HTTP routes declare no schemas; validate in the handler instead')
  }
}

const ALL_TOOLS = Object.keys(TOOL_PLUGINS) as (keyof typeof TOOL_PLUGINS)[]

export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'request.headers.authorization']

export async function createHttpApp(deps: HttpAppDeps): Promise<FastifyInstance> {
  const allowedHosts = deps.allowedHosts ?? LOOPBACK_HOSTS
  const timeouts = deps.timeouts ?? DEFAULT_TIMEOUTS
  const logger = deps.logger ? deps.logger.child({ component: 'http' }, { redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }) : undefined
  const serverOptions = {
    headersTimeout: Math.min(timeouts.header, timeouts.request),
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(timeouts.header / 4))),
  }
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // Per-request info lines would dwarf everything else in the daemon log; cache requests are logged at debug.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests log through the app's logger itself, not a pino child per request carrying a request id: with
    // request logging off that id was in almost no line, and the child cost a microsecond per small hit.
    childLoggerFactory: (parent) => parent,
    // TURBO_API with a trailing slash makes turbo request "//v8/artifacts/...".
    rewriteUrl: (req) => (req.url ?? '/').replace(/^\/{2,}/, '/'),
    // HEAD is answered from store.stat() by the routes that need it, never by running GET and dropping a stream.
    exposeHeadRoutes: false,
    // Cache keys may be up to 256 characters; the router's default (100) would turn long keys into 404s.
    routerOptions: { maxParamLength: 1024 },
    // No route declares a JSON schema (bodies are streams; the few JSON answers are built by hand), so fastify
    // need not load ajv and fast-json-stringify to build its default compilers: ~55 ms of a ~300 ms daemon start.
    schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } },
    // A client that stalls or dribbles must not hold a socket forever. connectionTimeout: no byte either way for
    // this long closes the socket (a stalled body, a silent connection); headersTimeout and requestTimeout bound
    // headers and whole requests sent a byte now and then. Node checks those two every
    // connectionsCheckingInterval (default 30 s), far coarser than a 10 s header limit.
    connectionTimeout: timeouts.idle,
    keepAliveTimeout: timeouts.keepAlive,
    requestTimeout: timeouts.request,
    // With TLS fastify hands only its `https` options to https.createServer (never `http`): the bounds go there too.
    ...(deps.tls ? { https: { ...serverOptions, cert: deps.tls.cert, key: deps.tls.key } } : { http: serverOptions }),
  }) as unknown as FastifyInstance

  // sccache's WebDAV verbs are not among fastify's defaults. PROPFIND carries an XML body, MKCOL may.
  app.addHttpMethod('PROPFIND', { hasBody: true })
  app.addHttpMethod('MKCOL', { hasBody: true })

  installTracking(app)
  const refused = hostGuard(allowedHosts)
  const authenticate = deps.authenticate
  // One onRequest hook for the Host check and the clock: every hook is a step through fastify's hook runner on
  // every request, and on a 1 KiB hit that overhead is most of the cost (bench:http).
  app.addHook('onRequest', (request, reply, done) => {
    if (refused(request, reply)) return
    startTracking(request)
    // A client waiting for 100 Continue is told to send its body only after the token check passed.
    const next = request.headers.expect === undefined ? done : () => {
      sendContinue(request.raw, reply.raw)
      done()
    }
    if (authenticate) authenticate(request, reply, next)
    else next()
  })
  registerBodyParsers(app)
  installErrorHandler(app)
  handleExpectContinue(app, { maxBlobBytes: deps.maxBlobBytes, allowedHosts })

  await app.register(observabilityPlugin, {
    metrics: deps.metrics,
    store: deps.store,
    ...(deps.localStore ? { localStore: deps.localStore } : {}),
    ...(deps.ready ? { ready: deps.ready } : {}),
    ...(deps.health ? { health: deps.health } : {}),
  })
  if (deps.dashboard) await app.register(dashboardPlugin, deps.dashboard)
  if (deps.dashboard?.stats) await app.register(statsRoutes, { stats: deps.dashboard.stats })
  const toolOptions: ToolOptions = { store: deps.store, metrics: deps.metrics, maxBlobBytes: deps.maxBlobBytes }
  const enabled = new Set(deps.enabled ?? ALL_TOOLS)
  for (const tool of ALL_TOOLS) if (enabled.has(tool)) await app.register(TOOL_PLUGINS[tool], toolOptions)
  return app
}
