import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultConfig } from '../../../src/config/defaults.js'
import { daemonId, stateDir } from '../../../src/daemon/identity.js'
import { tryLock, unlock } from '../../../src/daemon/lock.js'
import { parseDaemonArgs } from '../../../src/daemon/main.js'
import { isFabrikError } from '../../../src/errors/registry.js'

describe('daemon identity', () => {
  it('follows the effective configuration: another cache dir is another daemon; enabled tools and key order are not', () => {
    const a = defaultConfig()
    a.cache.dir = '/p/one/.fabrik/cache'
    const b = structuredClone(a)
    b.cache.dir = '/p/two/.fabrik/cache'
    assert.match(daemonId(a), /^[0-9a-f]{16}$/)
    assert.notEqual(daemonId(a), daemonId(b))
    const c = structuredClone(a)
    c.build_systems.enabled = ['bazel']
    assert.equal(daemonId(a), daemonId(c), 'enabled tools change what activation exports, not what the daemon serves')
    const { dir, ...rest } = a.cache
    const reordered = { ...a, cache: { ...rest, dir } }
    assert.equal(daemonId(a), daemonId(reordered))
  })

  it('lives under FABRIK_STATE_DIR, else XDG_STATE_HOME/fabrik/daemons', () => {
    assert.equal(stateDir('abc', { FABRIK_STATE_DIR: '/s' }), '/s/abc')
    assert.equal(stateDir('abc', { XDG_STATE_HOME: '/x' }), '/x/fabrik/daemons/abc')
  })
})

describe('start lock', () => {
  it('admits one holder, refuses a second live one, and takes over a lock left by a dead pid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fabrik-lock-'))
    try {
      const path = join(dir, 'start.lock')
      assert.equal(tryLock(path), true)
      assert.equal(readFileSync(path, 'utf8').trim(), String(process.pid))
      assert.equal(tryLock(path, 1), false, 'pid 1 may not take a lock held by this live process')
      unlock(path)
      writeFileSync(path, '999999\n')
      assert.equal(tryLock(path), true, 'a dead holder does not block')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('spawned daemon arguments', () => {
  it('takes --config and the --config-<name> overrides', () => {
    assert.deepEqual(parseDaemonArgs(['--config', '/p/fabrik.toml', '--config-http-port', '8080']), {
      configPath: '/p/fabrik.toml',
      flags: { 'http-port': '8080' },
    })
  })

  it('refuses unknown arguments and missing values', () => {
    assert.throws(() => parseDaemonArgs(['--verbose', 'x']), (e) => isFabrikError(e, 'USAGE'))
    assert.throws(() => parseDaemonArgs(['--config']), (e) => isFabrikError(e, 'USAGE'))
  })
})
