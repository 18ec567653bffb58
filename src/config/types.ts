// The parsed, validated, effective configuration: one value, built once by loadConfig() and passed around.
// Sizes are bytes, durations milliseconds, paths absolute (resolved against the config file's folder).

import type { RequestLogSetting } from '../metrics/request-log.js'

export type EvictionPolicy = 'lfu' | 'lru' | 'ttl'
export type ConsentMode = 'notify-once' | 'notify-always' | 'auto-approve' | 'disabled'
export type BuildSystem = 'gradle' | 'bazel' | 'nx' | 'turborepo' | 'sccache' | 'ccache' | 'xcode' | 'metro'

export interface UpstreamConfig {
  url: string
  timeout: number
  read_only: boolean
  permanent: boolean
  write_through: boolean
  region?: string
  endpoint?: string
  access_key?: string
  secret_key?: string
  workers: number
  /** Consecutive failures that take the layer offline (its circuit breaker opens). */
  breaker_failures: number
  /** How long an offline layer is skipped before one request probes it again. */
  breaker_cooldown: number
}

export interface FabrikConfig {
  url?: string
  cache: {
    dir: string
    max_size: number
    eviction_policy: EvictionPolicy
    default_ttl: number
    /**
     * Bounds of the write-behind queue, per write-through layer. Entries waiting in it are never evicted, so the
     * bytes are further capped at half of max_size when the queue is used.
     */
    upload_queue_max_size: number
    upload_queue_max_entries: number
  }
  upstream: UpstreamConfig[]
  auth: {
    public_key_file?: string
    public_key?: string
    jwks_url?: string
    key_refresh_interval: number
    required: boolean
    /** When set, a token's `iss` must equal it. */
    issuer?: string
    /** When set, a token's `aud` must contain it. */
    audience?: string
    provider: 'token' | 'oauth2'
    token: { env_var?: string; file?: string }
  }
  build_systems: { enabled: BuildSystem[] }
  observability: {
    log_level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'
    log_format: 'json' | 'text'
    health_bind?: string
    api_bind?: string
    /** Record per-tool and per-layer figures in <cache dir>/stats.db (`fabrik stats`, the dashboard). */
    stats: boolean
    /** Hourly figures older than this (ms) are deleted. */
    stats_retention: number
    /** Per-request log lines at info: "summary" (none), "sample:N" (N per second at most) or "all". */
    request_log: RequestLogSetting
  }
  runtime: {
    graceful_shutdown_timeout: number
    max_concurrent_requests: number
    /** An HTTP request's headers must arrive within this (ms). */
    header_timeout: number
    /** A request in progress (HTTP headers or body, a gRPC client stream) that sends nothing for this long is ended. */
    idle_timeout: number
    /** A whole HTTP request, body included, must arrive within this. */
    request_timeout: number
    /** An idle HTTP keep-alive connection, or a gRPC connection without calls, is closed after this. */
    keep_alive_timeout: number
  }
  daemon: {
    /** Unix socket for Xcode's compilation cache; absolute. */
    socket?: string
    /** 0 = pick a free port. */
    http_port: number
    grpc_port: number
  }
  /** `fabrik server` only. */
  server: {
    /** gRPC (REAPI, ByteStream, fabrik.v1.FabrikCache) listen address; HTTP is observability.api_bind. */
    bind: string
    tls_cert?: string
    tls_key?: string
  }
  p2p: {
    enabled: boolean
    secret?: string
    advertise: boolean
    discovery: boolean
    bind_port: number
    max_peers: number
    consent_mode: ConsentMode
    consent_timeout: number
    request_timeout: number
    max_concurrent_requests: number
  }
}

export type ValueSource = 'flag' | 'env' | 'file' | 'default'

export interface LoadedConfig {
  config: FabrikConfig
  /** Dotted key ("cache.max_size") → where its effective value came from. */
  sources: Record<string, ValueSource>
  /** Absolute path of the file read, if any. */
  path?: string
  /** The folder relative paths were resolved against (the file's folder, or the cwd with no file). */
  baseDir: string
  /** Raw bytes of the file; the daemon id is derived from them. Empty when no file was found. */
  bytes: Buffer
  /** Accepted but ignored settings (upstream-only keys), for `config validate` and the daemon log. */
  warnings: string[]
}
