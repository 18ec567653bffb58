import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseStartArgs } from '../../../commands/daemon/_fast-start.js'
import { loadConfig } from '../../../src/config/load.js'
import { decodeLoaded, encodeLoaded } from '../../../src/daemon/handoff.js'
import { locateConfig } from '../../../src/daemon/locate.js'
import { isFabrikError } from '../../../src/errors/registry.js'

describe('config handoff to the spawned daemon', () => {
  it('gives the daemon the same LoadedConfig the CLI validated, file bytes included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fabrik-handoff-'))
    try {
      writeFileSync(join(dir, 'fabrik.toml'), '[cache]\ndir = "c"\nmax_size = "2GB"\n[daemon]\nhttp_port = 7070\n')
      const loaded = await loadConfig({ cwd: dir, env: {}, flags: { 'grpc-port': '7071' } })
      const back = decodeLoaded(encodeLoaded(loaded))
      // Optional settings left undefined are dropped on the way, which every reader treats the same.
      const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown
      assert.deepEqual(plain(back), plain(loaded))
      assert.ok(back?.bytes.equals(loaded.bytes) && back.bytes.length > 0)
      assert.equal(back?.config.daemon.grpc_port, 7071)
      assert.equal(back?.sources['daemon.grpc_port'], 'flag')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads an empty input as a cancelled start, and refuses garbage or another version', () => {
    assert.equal(decodeLoaded(''), undefined)
    assert.throws(() => decodeLoaded('{nope'), (e) => isFabrikError(e, 'INTERNAL'))
    assert.throws(() => decodeLoaded('{"v":2}'), (e) => isFabrikError(e, 'INTERNAL'))
  })

  it('locates the same file, bytes and folder that loadConfig reads, from a subfolder too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fabrik-locate-'))
    try {
      writeFileSync(join(dir, 'fabrik.toml'), '[cache]\ndir = "c"\n')
      const { mkdirSync } = await import('node:fs')
      mkdirSync(join(dir, 'sub'))
      const located = await locateConfig({ cwd: join(dir, 'sub'), env: {} })
      const loaded = await loadConfig({ cwd: join(dir, 'sub'), env: {}, flags: {} })
      assert.deepEqual(located, { bytes: loaded.bytes, baseDir: loaded.baseDir })
      await assert.rejects(locateConfig({ cwd: dir, configPath: 'missing.toml', env: {} }), (e) => isFabrikError(e, 'CONFIG_NOT_FOUND'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('daemon start arguments taken without oclif', () => {
  it('takes --json, --config and known --config-<name> flags, as `--flag value` or `--flag=value`', () => {
    assert.deepEqual(parseStartArgs([]), { json: false, flags: {} })
    assert.deepEqual(parseStartArgs(['--json', '--config', 'a.toml', '--config-http-port=8080', '--config-grpc-port', '9090']), {
      json: true,
      configPath: 'a.toml',
      flags: { 'http-port': '8080', 'grpc-port': '9090' },
    })
  })

  it('leaves to oclif anything else: help, unknown or repeated flags, missing values, positional words', () => {
    for (const argv of [['--help'], ['-h'], ['--config-nope', '1'], ['--json', '--json'], ['--config'], ['--config', '--json'], ['extra'], ['--json=1']]) {
      assert.equal(parseStartArgs(argv), undefined, argv.join(' '))
    }
  })
})
