import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { defaultConfig } from '../../../src/config/defaults.js'
import type { LoadedConfig } from '../../../src/config/types.js'
import { runForeground } from '../../../src/daemon/foreground.js'
import { daemonId } from '../../../src/daemon/identity.js'

// SIGTERM drains: the daemon stops accepting, lets an upload in flight finish (answered 200), closes the store and
// removes its pid file. In-process, so it runs without a spawned daemon (test/e2e/daemon.test.ts does it end to end).

describe('daemon: SIGTERM drain', { timeout: 30_000 }, () => {
  it('finishes an upload in flight, then stops accepting and removes its pid file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fabrik-drain-'))
    const savedState = process.env.FABRIK_STATE_DIR
    process.env.FABRIK_STATE_DIR = join(root, 'state')
    try {
      const config = defaultConfig()
      config.cache.dir = join(root, 'cache')
      config.observability.log_level = 'warn'
      const bytes = Buffer.from(`# drain test ${root}\n`)
      const loaded: LoadedConfig = { config, sources: {}, baseDir: root, bytes, warnings: [] }
      const stateDir = join(root, 'state', daemonId(config))
      const running = runForeground(loaded)
      for (let i = 0; i < 500 && !existsSync(join(stateDir, 'pid')); i++) await sleep(10)
      const { http: port } = JSON.parse(readFileSync(join(stateDir, 'ports.json'), 'utf8')) as { http: number }

      const body = Buffer.alloc(256 * 1024, 7)
      const status = new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/v1/cache/drain01', headers: { 'content-length': body.length } }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        })
        req.on('error', reject)
        req.write(body.subarray(0, 1024))
        setTimeout(() => {
          process.emit('SIGTERM', 'SIGTERM')
          setTimeout(() => req.end(body.subarray(1024)), 300)
        }, 100)
      })
      assert.equal(await status, 200, 'the upload in flight was answered')
      await running
      assert.equal(existsSync(join(stateDir, 'pid')), false, 'pid file removed')
      const refused = await new Promise<boolean>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/health' }, () => resolve(false))
        req.on('error', () => resolve(true))
        req.end()
      })
      assert.ok(refused, 'still accepting after the drain')
    } finally {
      if (savedState === undefined) delete process.env.FABRIK_STATE_DIR
      else process.env.FABRIK_STATE_DIR = savedState
      await rm(root, { recursive: true, force: true })
    }
  })
})
