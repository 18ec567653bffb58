import type { BuildSystem } from '../config/types.js'
import type { DaemonInfo } from '../daemon/info.js'

// The one place that decides which environment variables point build tools at a daemon. Pure: shell activation
// (hook-env), `fabrik exec` and `fabrik doctor` all call it with the same inputs and get the same answer.

/** What the variables are computed from: the running daemon and the tools enabled in [build_systems]. */
export type ActivationInputs = Pick<DaemonInfo, 'id' | 'pid' | 'http_url' | 'grpc_url' | 'unix_socket' | 'state_dir'> & {
  enabled: readonly BuildSystem[]
}

export interface Variables {
  /** Variables to export, name → value. */
  set: Record<string, string>
  /** Managed names this project does not set: a previous project's value must not leak into this one. */
  unset: string[]
}

/** Turbo needs some team before it uses a remote cache at all; this one is only used when the user has none. */
export const DEFAULT_TURBO_TEAM = 'fabrik-local'
/** The local daemon checks no token; turbo still refuses to send requests without one. */
export const DEFAULT_TURBO_TOKEN = 'fabrik-local'

/** Every variable activation may export, in a stable order (deactivate and doctor walk this list). */
export const MANAGED_VARIABLES = [
  'FABRIK_HTTP_URL',
  'FABRIK_GRPC_URL',
  'FABRIK_CONFIG_HASH',
  'FABRIK_DAEMON_PID',
  'FABRIK_UNIX_SOCKET',
  'BAZELRC',
  'GRADLE_BUILD_CACHE_URL',
  'NX_SELF_HOSTED_REMOTE_CACHE_SERVER',
  'TURBO_API',
  'TURBO_TEAM',
  'TURBO_TOKEN',
  'CCACHE_REMOTE_STORAGE',
  'SCCACHE_WEBDAV_ENDPOINT',
  'XCODE_CACHE_SERVER',
] as const

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/**
 * `userEnv` is the environment as the user had it before any activation (see saved.ts restoreOriginal), so a
 * TURBO_TEAM that Fabrik itself exported for a previous project does not count as the user's own.
 */
export function computeVariables(inputs: ActivationInputs, userEnv: NodeJS.ProcessEnv): Variables {
  const http = withoutTrailingSlash(inputs.http_url)
  const on = new Set(inputs.enabled)
  const set: Record<string, string> = {
    FABRIK_HTTP_URL: http,
    FABRIK_GRPC_URL: inputs.grpc_url,
    FABRIK_CONFIG_HASH: inputs.id,
    FABRIK_DAEMON_PID: String(inputs.pid),
  }
  if (inputs.unix_socket) set.FABRIK_UNIX_SOCKET = inputs.unix_socket
  // Bazel >= 9 reads BAZELRC; older versions get the same file through `fabrik exec` (--bazelrc) or the
  // try-import `fabrik init` adds to the workspace .bazelrc.
  if (on.has('bazel')) set.BAZELRC = `${inputs.state_dir}/bazelrc`
  // Stock Gradle reads no variable: the init script installed by `fabrik init` reads this one (wiring/gradle.ts).
  if (on.has('gradle')) set.GRADLE_BUILD_CACHE_URL = `${http}/cache/`
  // Nx appends /v1/cache/<hash> itself; a trailing slash would give "//v1". Nx sends a bearer token only when
  // NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN is set (http_remote_cache.rs), and the local daemon needs none.
  if (on.has('nx')) set.NX_SELF_HOSTED_REMOTE_CACHE_SERVER = http
  if (on.has('turborepo')) {
    // A trailing slash makes turbo request "//v8/artifacts/..." — so none.
    set.TURBO_API = http
    if (!userEnv.TURBO_TEAM && !userEnv.TURBO_TEAMID) set.TURBO_TEAM = DEFAULT_TURBO_TEAM
    if (!userEnv.TURBO_TOKEN) set.TURBO_TOKEN = DEFAULT_TURBO_TOKEN
  }
  // ccache accepts any path under the URL; /ccache keeps its keys clear of other tools' routes (src/http/ccache).
  if (on.has('ccache')) set.CCACHE_REMOTE_STORAGE = `${http}/ccache`
  // OpenDAL's WebDAV backend joins the endpoint and the object path; the trailing slash marks a directory.
  if (on.has('sccache')) set.SCCACHE_WEBDAV_ENDPOINT = `${http}/sccache/`
  if (on.has('xcode') && inputs.unix_socket) set.XCODE_CACHE_SERVER = inputs.unix_socket
  const unset = MANAGED_VARIABLES.filter((name) => !(name in set))
  return { set, unset }
}
