import { z } from 'zod'
import { bind, bool, duration, int, listOf, oneOf, path, requestLog, secret, size, str, url, type Mode } from './leaves.js'

// The shape of fabrik.toml (upstream Fabrik's key names). Strict: an unknown key is an error, never ignored.
// Everything is optional here; defaults.ts fills the gaps and load.ts records where each value came from.
// The same schema reads FABRIK_CONFIG_* / --config-* overrides ('override' mode: values arrive as strings).

export const EVICTION_POLICIES = ['lfu', 'lru', 'ttl'] as const
export const CONSENT_MODES = ['notify-once', 'notify-always', 'auto-approve', 'disabled'] as const
export const BUILD_SYSTEMS = ['gradle', 'bazel', 'nx', 'turborepo', 'sccache', 'ccache', 'xcode', 'metro'] as const
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const
export const LOG_FORMATS = ['json', 'text'] as const

/** Schemes per URL key. s3:// is for upstream object storage only (s3://bucket/prefix). */
export const SERVER_URL_SCHEMES = ['http', 'https', 'grpc', 'grpcs'] as const
export const UPSTREAM_URL_SCHEMES = ['http', 'https', 'grpc', 'grpcs', 's3'] as const
export const HTTP_URL_SCHEMES = ['http', 'https'] as const

/** Keys whose value is a size or duration (show prints them in human units) or a path (resolved to absolute). */
export const SIZE_KEYS: ReadonlySet<string> = new Set(['cache.max_size', 'cache.upload_queue_max_size'])
export const DURATION_KEYS: ReadonlySet<string> = new Set([
  'cache.default_ttl',
  'auth.key_refresh_interval',
  'runtime.graceful_shutdown_timeout',
  'runtime.header_timeout',
  'runtime.idle_timeout',
  'runtime.request_timeout',
  'runtime.keep_alive_timeout',
  'p2p.consent_timeout',
  'p2p.request_timeout',
  'observability.stats_retention',
])
export const PATH_KEYS = ['cache.dir', 'daemon.socket', 'auth.public_key_file', 'auth.token.file', 'server.tls_cert', 'server.tls_key'] as const

function upstreamEntry(mode: Mode) {
  return z.strictObject({
    url: url(UPSTREAM_URL_SCHEMES).unwrap(),
    timeout: duration(),
    read_only: bool(mode),
    permanent: bool(mode),
    write_through: bool(mode),
    region: str(),
    endpoint: url(HTTP_URL_SCHEMES),
    access_key: str(),
    secret_key: str(),
    workers: int(mode, 1, 1024),
    breaker_failures: int(mode, 1, 1000),
    breaker_cooldown: duration(),
  })
}

export function buildSchema(mode: Mode) {
  const entries = z.array(upstreamEntry(mode))
  // FABRIK_CONFIG_UPSTREAM / --config-upstream: comma-separated URLs, each entry with default settings.
  const upstream =
    mode === 'override'
      ? z.preprocess((v) => (typeof v === 'string' ? splitUrls(v) : v), entries)
      : entries
  return z.strictObject({
    url: url(SERVER_URL_SCHEMES),
    cache: z
      .strictObject({
        dir: path(),
        max_size: size(),
        eviction_policy: oneOf(EVICTION_POLICIES),
        default_ttl: duration(),
        upload_queue_max_size: size(),
        upload_queue_max_entries: int(mode, 1, 100_000_000),
      })
      .optional(),
    upstream: upstream.optional(),
    auth: z
      .strictObject({
        public_key_file: path(),
        public_key: str(),
        jwks_url: url(HTTP_URL_SCHEMES),
        key_refresh_interval: duration(),
        required: bool(mode),
        issuer: str(),
        audience: str(),
        provider: oneOf(['token', 'oauth2'] as const),
        token: z.strictObject({ env_var: str(), file: path() }).optional(),
      })
      .optional(),
    build_systems: z.strictObject({ enabled: listOf(BUILD_SYSTEMS) }).optional(),
    observability: z
      .strictObject({
        log_level: oneOf(LOG_LEVELS),
        log_format: oneOf(LOG_FORMATS),
        health_bind: bind(),
        api_bind: bind(),
        stats: bool(mode),
        stats_retention: duration(),
        request_log: requestLog(),
      })
      .optional(),
    runtime: z
      .strictObject({
        graceful_shutdown_timeout: duration(),
        max_concurrent_requests: int(mode, 1, 1_000_000),
        header_timeout: duration(),
        idle_timeout: duration(),
        request_timeout: duration(),
        keep_alive_timeout: duration(),
      })
      .optional(),
    daemon: z
      .strictObject({ socket: path(), http_port: int(mode, 0, 65535), grpc_port: int(mode, 0, 65535) })
      .optional(),
    server: z.strictObject({ bind: bind(), tls_cert: path(), tls_key: path() }).optional(),
    p2p: z
      .strictObject({
        enabled: bool(mode),
        secret: secret(16),
        advertise: bool(mode),
        discovery: bool(mode),
        bind_port: int(mode, 0, 65535),
        max_peers: int(mode, 0, 10_000),
        consent_mode: oneOf(CONSENT_MODES),
        consent_timeout: duration(),
        request_timeout: duration(),
        max_concurrent_requests: int(mode, 1, 10_000),
      })
      .optional(),
  })
}

function splitUrls(value: string): { url: string }[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((u) => ({ url: u }))
}

export const fileSchema = buildSchema('file')
export const overrideSchema = buildSchema('override')

/** What a file (or a layer of overrides) sets: a partial FabrikConfig with values already converted. */
export type PartialConfig = z.output<typeof fileSchema>
