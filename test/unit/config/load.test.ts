import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { loadConfig } from '../../../src/config/load.js'
import { userCacheDir, userConfigPath } from '../../../src/config/discover.js'
import { isFabrikError } from '../../../src/errors/registry.js'
import { tempRoot, type TempRoot } from './_project.js'

describe('loadConfig', () => {
  let root: TempRoot
  before(async () => {
    root = await tempRoot()
  })
  after(async () => {
    await root.cleanup()
  })

  describe('precedence: flag > env > file > default', () => {
    it('uses the default when nothing sets a key, and says so', async () => {
      const project = join(root.dir, 'p-default')
      await root.write('p-default/fabrik.toml', '')
      const { config, sources } = await loadConfig({ cwd: project, env: {}, flags: {} })
      assert.equal(config.cache.max_size, 5 * 1024 ** 3)
      assert.equal(sources['cache.max_size'], 'default')
      assert.equal(config.observability.log_level, 'info')
      assert.equal(config.p2p.enabled, false)
      assert.equal(config.p2p.bind_port, 7071)
      assert.equal(config.runtime.max_concurrent_requests, 1024)
      assert.deepEqual(config.build_systems.enabled, ['gradle', 'bazel', 'nx', 'turborepo', 'sccache'])
    })

    it('lets the file beat the default', async () => {
      const project = join(root.dir, 'p-file')
      await root.write('p-file/fabrik.toml', '[cache]\nmax_size = "10GB"\n')
      const { config, sources } = await loadConfig({ cwd: project, env: {}, flags: {} })
      assert.equal(config.cache.max_size, 10 * 1024 ** 3)
      assert.equal(sources['cache.max_size'], 'file')
    })

    it('lets FABRIK_CONFIG_* beat the file', async () => {
      const project = join(root.dir, 'p-file')
      const env = { FABRIK_CONFIG_MAX_CACHE_SIZE: '20GB' }
      const { config, sources } = await loadConfig({ cwd: project, env, flags: {} })
      assert.equal(config.cache.max_size, 20 * 1024 ** 3)
      assert.equal(sources['cache.max_size'], 'env')
    })

    it('lets --config-* beat the environment', async () => {
      const project = join(root.dir, 'p-file')
      const env = { FABRIK_CONFIG_MAX_CACHE_SIZE: '20GB' }
      const { config, sources } = await loadConfig({ cwd: project, env, flags: { 'max-cache-size': '30GB' } })
      assert.equal(config.cache.max_size, 30 * 1024 ** 3)
      assert.equal(sources['cache.max_size'], 'flag')
    })

    it('reads typed overrides from strings: ports, booleans, enums', async () => {
      const project = join(root.dir, 'p-file')
      const env = { FABRIK_CONFIG_HTTP_PORT: '8080', FABRIK_CONFIG_P2P_ENABLED: 'true', FABRIK_CONFIG_P2P_SECRET: 'x'.repeat(16) }
      const { config, sources } = await loadConfig({ cwd: project, env, flags: { 'log-level': 'debug' } })
      assert.equal(config.daemon.http_port, 8080)
      assert.equal(config.p2p.enabled, true)
      assert.equal(config.observability.log_level, 'debug')
      assert.equal(sources['daemon.http_port'], 'env')
      assert.equal(sources['observability.log_level'], 'flag')
    })

    it('treats an empty FABRIK_CONFIG_* variable as unset', async () => {
      const project = join(root.dir, 'p-file')
      const { sources } = await loadConfig({ cwd: project, env: { FABRIK_CONFIG_MAX_CACHE_SIZE: '' }, flags: {} })
      assert.equal(sources['cache.max_size'], 'file')
    })

    it('replaces the file’s [[upstream]] list with FABRIK_CONFIG_UPSTREAM, each entry with default settings', async () => {
      await root.write('p-up/fabrik.toml', '[[upstream]]\nurl = "https://file.example"\ntimeout = "5s"\n')
      const env = { FABRIK_CONFIG_UPSTREAM: 'grpc://a.example:7070, s3://bucket/prefix' }
      const { config, sources } = await loadConfig({ cwd: join(root.dir, 'p-up'), env, flags: {} })
      assert.deepEqual(
        config.upstream.map((u) => u.url),
        ['grpc://a.example:7070', 's3://bucket/prefix'],
      )
      assert.equal(config.upstream[0]?.timeout, 30_000)
      assert.equal(config.upstream[0]?.workers, 10)
      assert.equal(config.upstream[0]?.write_through, true)
      assert.equal(sources.upstream, 'env')
    })

    it('fills per-entry defaults into [[upstream]] entries from the file', async () => {
      const { config } = await loadConfig({ cwd: join(root.dir, 'p-up'), env: {}, flags: {} })
      assert.equal(config.upstream[0]?.timeout, 5_000)
      assert.equal(config.upstream[0]?.workers, 10)
      assert.equal(config.upstream[0]?.read_only, false)
    })

    it('reports a source for every leaf key', async () => {
      const { sources } = await loadConfig({ cwd: join(root.dir, 'p-file'), env: {}, flags: {} })
      for (const key of ['url', 'upstream', 'auth.token.env_var', 'daemon.socket', 'daemon.grpc_port', 'p2p.secret']) {
        assert.equal(sources[key], 'default', key)
      }
      // 34 upstream keys, the upload queue's two bounds, [auth] issuer and audience, [server] bind, tls_cert, tls_key,
      // and [runtime] header_timeout, idle_timeout, request_timeout, keep_alive_timeout,
      // and [observability] stats, stats_retention and request_log.
      assert.equal(Object.keys(sources).length, 48)
    })
  })

  describe('expansion in the file', () => {
    it('applies ${VAR}, ${VAR:-default} and $$ before validation', async () => {
      await root.write(
        'p-exp/fabrik.toml',
        '[cache]\ndir = "${DATA}/cache"\nmax_size = "${SIZE:-2GB}"\n[daemon]\nhttp_port = ${PORT}\n[auth.token]\nenv_var = "$$TOKEN"\n',
      )
      const { config } = await loadConfig({ cwd: join(root.dir, 'p-exp'), env: { DATA: '/data', PORT: '9000' }, flags: {} })
      assert.equal(config.cache.dir, '/data/cache')
      assert.equal(config.cache.max_size, 2 * 1024 ** 3)
      assert.equal(config.daemon.http_port, 9000)
      assert.equal(config.auth.token.env_var, '$TOKEN')
    })

    it('fails when a ${VAR} without default is unset, naming it and the file', async () => {
      await assert.rejects(
        loadConfig({ cwd: join(root.dir, 'p-exp'), env: { PORT: '9000' }, flags: {} }),
        (err: unknown) => isFabrikError(err, 'CONFIG_ENV_UNSET') && /DATA/.test(err.message) && err.message.includes(join(root.dir, 'p-exp', 'fabrik.toml')),
      )
    })
  })

  describe('paths', () => {
    it('resolves a relative cache.dir against the config file’s folder, not the cwd', async () => {
      await root.write('p-paths/fabrik.toml', '[cache]\ndir = "build/cache"\n[daemon]\nsocket = "x.sock"\n')
      const cwd = join(root.dir, 'p-paths', 'deep', 'nested')
      await mkdir(cwd, { recursive: true })
      const { config, baseDir } = await loadConfig({ cwd, env: {}, flags: {} })
      assert.equal(config.cache.dir, join(root.dir, 'p-paths', 'build', 'cache'))
      assert.equal(config.daemon.socket, join(root.dir, 'p-paths', 'x.sock'))
      assert.equal(baseDir, join(root.dir, 'p-paths'))
    })

    it('resolves the default cache.dir against the file’s folder too', async () => {
      const cwd = join(root.dir, 'p-paths', 'deep', 'nested')
      await root.write('p-empty/fabrik.toml', '')
      const { config } = await loadConfig({ cwd, env: {}, flags: {}, configPath: join(root.dir, 'p-empty', 'fabrik.toml') })
      assert.equal(config.cache.dir, join(root.dir, 'p-empty', '.fabrik', 'cache'))
    })

    it('resolves a relative path given by flag or env against the cwd, like any command-line path', async () => {
      const cwd = join(root.dir, 'p-paths', 'deep')
      const { config } = await loadConfig({ cwd, env: { FABRIK_CONFIG_SOCKET: 's.sock' }, flags: { 'cache-dir': 'mine' } })
      assert.equal(config.cache.dir, join(cwd, 'mine'))
      assert.equal(config.daemon.socket, join(cwd, 's.sock'))
    })
  })

  describe('discovery', () => {
    it('walks up from a nested folder to the nearest fabrik.toml', async () => {
      await root.write('walk/fabrik.toml', '[observability]\nlog_level = "warn"\n')
      await root.write('walk/inner/fabrik.toml', '[observability]\nlog_level = "error"\n')
      const cwd = join(root.dir, 'walk', 'a', 'b', 'c')
      await mkdir(cwd, { recursive: true })
      const outer = await loadConfig({ cwd, env: {}, flags: {} })
      assert.equal(outer.path, join(root.dir, 'walk', 'fabrik.toml'))
      assert.equal(outer.config.observability.log_level, 'warn')
      const innerCwd = join(root.dir, 'walk', 'inner', 'x')
      await mkdir(innerCwd, { recursive: true })
      const inner = await loadConfig({ cwd: innerCwd, env: {}, flags: {} })
      assert.equal(inner.config.observability.log_level, 'error')
    })

    it('lets --config (configPath) override discovery, relative to the cwd', async () => {
      await root.write('walk/other.toml', '[observability]\nlog_level = "trace"\n')
      const cwd = join(root.dir, 'walk', 'inner')
      const loaded = await loadConfig({ cwd, configPath: '../other.toml', env: {}, flags: {} })
      assert.equal(loaded.path, join(root.dir, 'walk', 'other.toml'))
      assert.equal(loaded.config.observability.log_level, 'trace')
    })

    it('honours FABRIK_CONFIG when no configPath is given', async () => {
      const env = { FABRIK_CONFIG: join(root.dir, 'walk', 'other.toml') }
      const loaded = await loadConfig({ cwd: join(root.dir, 'walk', 'inner'), env, flags: {} })
      assert.equal(loaded.config.observability.log_level, 'trace')
    })

    it('fails with CONFIG_NOT_FOUND for an explicit path that does not exist', async () => {
      await assert.rejects(
        loadConfig({ cwd: root.dir, configPath: 'missing.toml', env: {}, flags: {} }),
        (err: unknown) => isFabrikError(err, 'CONFIG_NOT_FOUND') && err.message.includes('missing.toml'),
      )
    })

    it('keeps the raw file bytes, from which the daemon id is derived', async () => {
      const text = '# ${NOT_EXPANDED_IN_COMMENTS}\n[cache]\nmax_size = "1GB"\n'
      const path = await root.write('bytes/fabrik.toml', text)
      const loaded = await loadConfig({ cwd: join(root.dir, 'bytes'), env: {}, flags: {} })
      assert.equal(loaded.path, path)
      assert.equal(loaded.bytes.toString('utf8'), text)
      assert.equal(createHash('sha256').update(loaded.bytes).digest('hex').length, 64)
    })

    it('falls back to the user config file, keeping its cache in the user cache dir', async () => {
      const cwd = join(root.dir, 'no-project')
      await mkdir(cwd, { recursive: true })
      const user = userConfigPath()
      assert.ok(user.startsWith(root.dir), 'the user config must point into the temp folder')
      await root.write(user.slice(root.dir.length + 1), '[observability]\nlog_format = "text"\n')
      const loaded = await loadConfig({ cwd, env: {}, flags: {} })
      assert.equal(loaded.path, user)
      assert.equal(loaded.config.observability.log_format, 'text')
      assert.equal(loaded.config.cache.dir, userCacheDir())
    })
  })
})
