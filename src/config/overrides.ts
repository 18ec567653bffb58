// Settings that can be overridden without editing the file: FABRIK_CONFIG_<NAME> in the environment and
// --config-<name> on the command line (upstream's names). Precedence: flag > env > file > default.
// Pure data: the CLI builds its flags from this table at startup, so it must stay import-free.

export interface Override {
  /** Flag suffix: --config-<name>; env: FABRIK_CONFIG_<NAME upper-cased, dashes → underscores>. */
  name: string
  /** Dotted key in fabrik.toml. */
  key: string
  description: string
}

export const OVERRIDES: readonly Override[] = [
  { name: 'url', key: 'url', description: 'Regional Fabrik server URL' },
  { name: 'cache-dir', key: 'cache.dir', description: 'Local cache directory' },
  { name: 'max-cache-size', key: 'cache.max_size', description: 'Local cache size limit (e.g. 5GB)' },
  { name: 'eviction-policy', key: 'cache.eviction_policy', description: 'lfu, lru or ttl' },
  { name: 'default-ttl', key: 'cache.default_ttl', description: 'Entry lifetime for the ttl policy (e.g. 7d)' },
  { name: 'upstream', key: 'upstream', description: 'Upstream URLs, comma-separated' },
  { name: 'http-port', key: 'daemon.http_port', description: 'Daemon HTTP port (0 = any free port)' },
  { name: 'grpc-port', key: 'daemon.grpc_port', description: 'Daemon gRPC port (0 = any free port)' },
  { name: 'socket', key: 'daemon.socket', description: 'Unix socket for Xcode' },
  { name: 'log-level', key: 'observability.log_level', description: 'trace, debug, info, warn, error or fatal' },
  { name: 'log-format', key: 'observability.log_format', description: 'json or text' },
  { name: 'p2p-enabled', key: 'p2p.enabled', description: 'Share the cache with peers on the LAN (true/false)' },
  { name: 'p2p-secret', key: 'p2p.secret', description: 'Shared P2P secret (16+ characters)' },
  { name: 'p2p-bind-port', key: 'p2p.bind_port', description: 'P2P gRPC port' },
  { name: 'consent-mode', key: 'p2p.consent_mode', description: 'notify-once, notify-always, auto-approve or disabled' },
]

export function envName(o: Override): string {
  return `FABRIK_CONFIG_${o.name.toUpperCase().replace(/-/g, '_')}`
}
