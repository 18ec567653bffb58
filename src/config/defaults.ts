import { DEFAULT_REQUEST_LOG } from '../metrics/request-log.js'
import type { FabrikConfig, UpstreamConfig } from './types.js'

// Defaults, from upstream Fabrik where it has one (see shared reference upstream-compat.md). Every leaf key is
// listed, optional ones as undefined, because this object also defines the set of keys `config show` reports.
// cache.dir is still relative here: load.ts resolves it against the config file's folder.

export const DEFAULT_CACHE_DIR = '.fabrik/cache'

export const UPSTREAM_DEFAULTS: Omit<UpstreamConfig, 'url'> = {
  timeout: 30_000,
  read_only: false,
  permanent: false,
  write_through: true,
  region: undefined,
  endpoint: undefined,
  access_key: undefined,
  secret_key: undefined,
  workers: 10,
  breaker_failures: 5,
  breaker_cooldown: 10_000,
}

export function defaultConfig(): FabrikConfig {
  return {
    url: undefined,
    cache: {
      dir: DEFAULT_CACHE_DIR,
      max_size: 5 * 1024 ** 3,
      eviction_policy: 'lfu',
      default_ttl: 7 * 86_400_000,
      upload_queue_max_size: 1024 ** 3,
      upload_queue_max_entries: 100_000,
    },
    upstream: [],
    auth: {
      public_key_file: undefined,
      public_key: undefined,
      jwks_url: undefined,
      key_refresh_interval: 5 * 60_000,
      // Only a regional server checks tokens; the local daemon never asks its own build tools for one.
      required: true,
      issuer: undefined,
      audience: undefined,
      provider: 'token',
      token: { env_var: undefined, file: undefined },
    },
    build_systems: { enabled: ['gradle', 'bazel', 'nx', 'turborepo', 'sccache'] },
    observability: { log_level: 'info', log_format: 'json', health_bind: undefined, api_bind: undefined, stats: true, stats_retention: 90 * 86_400_000, request_log: DEFAULT_REQUEST_LOG },
    runtime: {
      graceful_shutdown_timeout: 30_000,
      max_concurrent_requests: 1024,
      header_timeout: 10_000,
      idle_timeout: 30_000,
      request_timeout: 10 * 60_000,
      keep_alive_timeout: 60_000,
    },
    daemon: { socket: undefined, http_port: 0, grpc_port: 0 },
    server: { bind: '127.0.0.1:7070', tls_cert: undefined, tls_key: undefined },
    p2p: {
      enabled: false,
      secret: undefined,
      advertise: true,
      discovery: true,
      bind_port: 7071,
      max_peers: 20,
      consent_mode: 'notify-once',
      consent_timeout: 30_000,
      request_timeout: 5_000,
      max_concurrent_requests: 5,
    },
  }
}
