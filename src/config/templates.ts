// Commented fabrik.toml templates for `fabrik config generate --template ...` and `fabrik init`. Each one must
// load cleanly under schema.ts with an empty environment (test/unit/config/templates.test.ts checks it), so
// variables are only used with a :-default, and optional settings are shown commented out.

const HEADER = `# Every key is optional; values shown are the defaults unless noted. Reference: docs/configuration.md
# \${VAR} and \${VAR:-default} are read from the environment; $$ is a literal dollar sign.
# Relative paths are relative to this file's folder. FABRIK_CONFIG_* variables and --config-* flags override.
`

const DAEMON = `# fabrik.toml — local build-cache daemon for this project (\`fabrik activate\` or \`fabrik daemon start\`).
${HEADER}
[cache]
dir = ".fabrik/cache"
max_size = "5GB"          # TB, GB, MB, KB (base 1024) or a number of bytes
eviction_policy = "lfu"   # lfu | lru | ttl
default_ttl = "7d"        # entry lifetime for the ttl policy (d, h, m, s)

# A shared cache behind this one: another Fabrik (grpc://), an HTTP cache or S3 (s3://bucket/prefix).
# Repeat the [[upstream]] section for more; they are asked in order.
# [[upstream]]
# url = "grpc://cache.example.com:7070"
# timeout = "30s"
# read_only = false
# write_through = true

[daemon]
http_port = 0             # 0 = any free port (shown by \`fabrik activate\`)
grpc_port = 0
# socket = ".fabrik/xcode.sock"   # unix socket for Xcode's compilation cache

[build_systems]
enabled = ["gradle", "bazel", "nx", "turborepo", "sccache", "ccache"]   # also: xcode (needs [daemon] socket), metro

[observability]
log_level = "info"        # trace | debug | info | warn | error | fatal
log_format = "json"       # json | text

[p2p]
# Share this cache with teammates on the same network.
enabled = false
# secret = "\${FABRIK_P2P_SECRET}"   # 16+ characters, the same on every machine (\`openssl rand -hex 16\`)
consent_mode = "notify-once"        # notify-once | notify-always | auto-approve | disabled
`

const SERVER = `# fabrik.toml — regional cache server, shared by many developer and CI daemons.
${HEADER}
[cache]
dir = "\${FABRIK_CACHE_DIR:-/var/lib/fabrik/cache}"
max_size = "100GB"
eviction_policy = "lfu"
default_ttl = "7d"

# Durable storage behind the server's disk cache.
[[upstream]]
url = "s3://\${FABRIK_S3_BUCKET:-fabrik-cache}/cache"
region = "\${AWS_REGION:-us-east-1}"
timeout = "60s"
permanent = true          # never evicted
write_through = true
workers = 20
# endpoint = "https://s3.example.com"       # an S3-compatible store
# access_key = "\${AWS_ACCESS_KEY_ID}"       # keep credentials out of the file
# secret_key = "\${AWS_SECRET_ACCESS_KEY}"

[auth]
required = true          # every request needs a JWT (RS256) with cache:read / cache:write
# One key source: a PEM file, an inline PEM (public_key) or a JWKS endpoint (keys picked by kid).
public_key_file = "/etc/fabrik/jwt-public-key.pem"
# jwks_url = "https://auth.example.com/.well-known/jwks.json"
key_refresh_interval = "5m"

[observability]
log_level = "info"
log_format = "json"
health_bind = "0.0.0.0:8888"
api_bind = "0.0.0.0:9091"

[runtime]
graceful_shutdown_timeout = "30s"
max_concurrent_requests = 1024
`

const EXEC = `# fabrik.toml — for \`fabrik exec -- <build command>\`: a daemon that lives as long as one command (CI jobs).
${HEADER}
[cache]
dir = ".fabrik/cache"
max_size = "2GB"
eviction_policy = "lru"

# The team's shared cache; FABRIK_UPSTREAM_URL lets each CI job point elsewhere.
[[upstream]]
url = "\${FABRIK_UPSTREAM_URL:-grpc://cache.example.com:7070}"
timeout = "30s"
read_only = false         # true for jobs that must not publish (e.g. untrusted pull requests)

[daemon]
http_port = 0
grpc_port = 0

[build_systems]
enabled = ["gradle", "bazel", "nx", "turborepo", "sccache"]

[observability]
log_level = "warn"
log_format = "text"
`

export const TEMPLATES = { daemon: DAEMON, server: SERVER, exec: EXEC } as const

export type TemplateName = keyof typeof TEMPLATES

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[]

/** What `fabrik init` writes: the project daemon template. */
export function initTemplate(): string {
  return DAEMON
}
