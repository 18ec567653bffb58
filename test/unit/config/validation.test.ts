import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { loadConfig } from '../../../src/config/load.js'
import { FabrikError, isFabrikError } from '../../../src/errors/registry.js'
import { EXIT_CODES } from '../../../src/errors/exit-codes.js'
import { tempRoot, type TempRoot } from './_project.js'

// Every invalid configuration is refused at load with CONFIG_INVALID (exit 78), and the message names the file
// (or variable/flag), the key, and what was expected.

describe('configuration validation', () => {
  let root: TempRoot
  let n = 0
  before(async () => {
    root = await tempRoot()
  })
  after(async () => {
    await root.cleanup()
  })

  async function loadError(toml: string, extra: { env?: NodeJS.ProcessEnv; flags?: Record<string, string> } = {}) {
    const rel = `case-${++n}/fabrik.toml`
    const path = await root.write(rel, toml)
    try {
      await loadConfig({ cwd: join(root.dir, `case-${n}`), env: extra.env ?? {}, flags: extra.flags ?? {} })
    } catch (err) {
      assert.ok(isFabrikError(err), `expected a FabrikError, got ${String(err)}`)
      return { err: err as FabrikError, path }
    }
    assert.fail('the configuration was accepted')
  }

  it('names an unknown key and suggests the close known one', async () => {
    const { err, path } = await loadError('[cache]\nmax_sise = "5GB"\n')
    assert.equal(err.code, 'CONFIG_INVALID')
    assert.equal(EXIT_CODES[err.kind], 78)
    assert.match(err.message, /cache\.max_sise: unknown key/)
    assert.match(err.message, /did you mean max_size\?/)
    assert.ok(err.message.startsWith(`${path}:2: `), 'file and line of the key')
  })

  it('suggests the valid value a wrong one abbreviates or misspells, at its line', async () => {
    const { err, path } = await loadError('# tools\n[build_systems]\nenabled = ["turbo", "bazel"]\n\n[cache]\neviction_policy = "lfx"\n')
    assert.match(err.message, new RegExp(`^${path}:3: build_systems\\.enabled: expected an array of .*, got "turbo" \\(did you mean "turborepo"\\?\\)$`, 'm'))
    assert.match(err.message, new RegExp(`^${path}:6: cache\\.eviction_policy: expected one of lfu, lru, ttl, got "lfx" \\(did you mean "lfu"\\?\\)$`, 'm'))
  })

  it('points a key written in the wrong table to the right one', async () => {
    const { err } = await loadError('[cache]\nlog_level = "debug"\n')
    assert.match(err.message, /cache\.log_level: unknown key.*did you mean observability\.log_level, under \[observability\]\?/)
  })

  it('names unknown top-level tables and keys inside [[upstream]] entries', async () => {
    const { err } = await loadError('[cachee]\ndir = "x"\n[[upstream]]\nurl = "https://a.example"\ntimeout_s = 3\n')
    assert.match(err.message, /cachee: unknown key.*did you mean cache\?/)
    assert.match(err.message, /upstream\[0\]\.timeout_s: unknown key.*did you mean timeout\?/)
  })

  it('loads an upstream fabrik.toml with keys upstream parses but never uses, warning about each', async () => {
    const path = await root.write(`case-${++n}/fabrik.toml`, '[fabrik]\nname = "x"\n[runtime]\nworker_threads = 4\n[observability]\nmetrics_enabled = true\n')
    const loaded = await loadConfig({ cwd: join(root.dir, `case-${n}`), env: {}, flags: {} })
    assert.deepEqual(loaded.warnings, [
      `${path}: fabrik: ignored (upstream Fabrik reads this key but this Fabrik does not use it)`,
      `${path}: runtime.worker_threads: ignored (upstream Fabrik reads this key but this Fabrik does not use it)`,
      `${path}: observability.metrics_enabled: ignored (upstream Fabrik reads this key but this Fabrik does not use it)`,
    ])
    assert.equal(loaded.config.runtime.max_concurrent_requests, 1024)
  })

  it('names a wrong type with what was expected and what was found', async () => {
    const { err, path } = await loadError('[p2p]\nmax_peers = "twenty"\n')
    assert.equal(err.message, `${path}:2: p2p.max_peers: expected an integer from 0 to 10000, got "twenty"`)
  })

  it('refuses a table written as a value and a single [upstream] table', async () => {
    const { err } = await loadError('cache = 5\n[upstream]\nurl = "https://a.example"\n')
    assert.match(err.message, /cache: expected a table \(a \[cache\] section\), got 5/)
    assert.match(err.message, /upstream: expected an array of tables \(\[\[upstream\]\] sections\), got a table/)
  })

  it('refuses bad sizes and durations', async () => {
    const { err } = await loadError('[cache]\nmax_size = "5 gigs"\ndefault_ttl = "7 days"\n')
    assert.match(err.message, /cache\.max_size: expected a size like "5GB".*got "5 gigs"/)
    assert.match(err.message, /cache\.default_ttl: expected a duration like "30s".*got "7 days"/)
  })

  it('refuses a URL with a scheme the key does not support', async () => {
    const { err, path } = await loadError('url = "ftp://cache.example"\n[[upstream]]\nurl = "gcs://bucket"\n[auth]\njwks_url = "grpc://x"\n')
    assert.match(err.message, new RegExp(`${path}:1: url: expected a URL starting with http://, https://, grpc://, grpcs://, got "ftp://cache.example"`))
    assert.match(err.message, /upstream\[0\]\.url: expected a URL starting with .*s3:\/\/, got "gcs:\/\/bucket"/)
    assert.match(err.message, /auth\.jwks_url: expected a URL starting with http:\/\/, https:\/\/, got "grpc:\/\/x"/)
  })

  it('requires a url in every [[upstream]] entry', async () => {
    const { err } = await loadError('[[upstream]]\ntimeout = "5s"\n')
    assert.match(err.message, /upstream\[0\]\.url: expected a URL .*got nothing/)
  })

  it('refuses a p2p secret under 16 characters without echoing it', async () => {
    const { err, path } = await loadError('[p2p]\nsecret = "short-secret"\n')
    assert.match(err.message, new RegExp(`^${path}:2: p2p\\.secret: expected a secret of at least 16 characters`))
    assert.match(err.message, /got a 12-character value/)
    assert.ok(!err.message.includes('short-secret'))
  })

  it('refuses server.tls_cert without server.tls_key, and the other way round, naming the missing key', async () => {
    const cert = await loadError('[server]\ntls_cert = "server.crt"\n')
    assert.equal(cert.err.code, 'CONFIG_INVALID')
    assert.match(cert.err.message, new RegExp(`^${cert.path}: server\\.tls_key: expected a path because server\\.tls_cert is set`))
    assert.match(cert.err.fix, /tls_key/)
    const key = await loadError('[server]\ntls_key = "server.key"\n')
    assert.match(key.err.message, /server\.tls_cert: expected a path because server\.tls_key is set/)
  })

  it('refuses p2p.enabled without a secret', async () => {
    const { err, path } = await loadError('[p2p]\nenabled = true\n')
    assert.match(err.message, new RegExp(`^${path}: p2p\\.secret: expected a secret of at least 16 characters because p2p\\.enabled is true`))
  })

  it('refuses an unknown consent_mode, listing the valid ones', async () => {
    const { err, path } = await loadError('[p2p]\nconsent_mode = "ask"\n')
    assert.equal(
      err.message,
      `${path}:2: p2p.consent_mode: expected one of notify-once, notify-always, auto-approve, disabled, got "ask"`,
    )
  })

  it('refuses unknown build systems and log levels', async () => {
    const { err } = await loadError('[build_systems]\nenabled = ["gradle", "maven"]\n[observability]\nlog_level = "loud"\n')
    assert.match(err.message, /build_systems\.enabled: expected an array of gradle, bazel, nx, turborepo, sccache, ccache, xcode, metro/)
    assert.match(err.message, /observability\.log_level: expected one of trace, debug/)
  })

  it('reports TOML syntax errors with file, line and column', async () => {
    const { err, path } = await loadError('[cache]\nmax_size = \n')
    assert.match(err.message, new RegExp(`^${path}:2:\\d+: expected valid TOML`))
  })

  it('names the variable for a bad FABRIK_CONFIG_* value', async () => {
    const { err } = await loadError('', { env: { FABRIK_CONFIG_HTTP_PORT: 'eighty' } })
    assert.equal(err.message, 'FABRIK_CONFIG_HTTP_PORT: daemon.http_port: expected an integer from 0 to 65535, got "eighty"')
  })

  it('names the flag for a bad --config-* value', async () => {
    const { err } = await loadError('', { flags: { 'consent-mode': 'sometimes', upstream: 'ftp://x' } })
    assert.match(err.message, /--config-consent-mode: p2p\.consent_mode: expected one of/)
    assert.match(err.message, /--config-upstream: upstream\[0\]\.url: expected a URL/)
  })

  it('names the variable that enabled p2p when no secret is set', async () => {
    const { err } = await loadError('', { env: { FABRIK_CONFIG_P2P_ENABLED: 'yes' } })
    assert.match(err.message, /^FABRIK_CONFIG_P2P_ENABLED: p2p\.secret: expected a secret/)
  })
})
