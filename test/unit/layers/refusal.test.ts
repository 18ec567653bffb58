import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Registry } from 'prom-client'
import { healthLines } from '../../../src/daemon/health-text.js'
import { isFabrikError } from '../../../src/errors/registry.js'
import { assembleChain, layerHealth } from '../../../src/layers/build.js'
import { RegionalLayer } from '../../../src/layers/regional.js'
import type { LayerSpec } from '../../../src/layers/types.js'
import { readResult } from '../../../src/store/result.js'
import { until } from '../../helpers/until.js'
import { makeKey, startServerWithKeys, token, type TestServer } from '../server/helpers.js'
import { open, sha, tempDir } from '../store/helpers.js'
import { counter, quiet } from './helpers.js'

// A daemon whose token `fabrik server` refuses: a laptop's read-only token (no cache:write), or none at all. The
// refusal must stay UNAUTHENTICATED / PERMISSION_DENIED, never open the breaker (the reads the token allows keep
// going), never be retried forever, and show in `fabrik health` with its fix.

describe('the regional layer when the server refuses the token', () => {
  let server: TestServer
  let root: string
  let cleanup: () => Promise<void>
  let writer: string
  let reader: string
  before(async () => {
    ;({ dir: root, cleanup } = await tempDir('fabrik-refusal-'))
    const key = await makeKey('k1')
    writer = await token(key, { project_id: 'team' })
    reader = await token(key, { project_id: 'team', permissions: ['cache:read'] })
    server = await startServerWithKeys([key])
  })
  after(async () => {
    await server?.close()
    await cleanup?.()
  })

  const url = () => `grpc://${server.grpc}`

  it('keeps UNAUTHENTICATED and PERMISSION_DENIED as themselves, with a fix', async () => {
    const anonymous = new RegionalLayer({ url: url() })
    const readOnly = new RegionalLayer({ url: url(), token: reader })
    try {
      await assert.rejects(anonymous.stat('nx', 'k'), (err) => isFabrikError(err, 'UNAUTHENTICATED') && /FABRIK_TOKEN/.test(err.fix))
      const body = Buffer.from('refused')
      await assert.rejects(readOnly.put('nx', sha(body), body, { size: body.length, sha256: sha(body) }),
        (err) => isFabrikError(err, 'PERMISSION_DENIED') && /read_only = true/.test(err.fix))
    } finally {
      await anonymous.close()
      await readOnly.close()
    }
  })

  it('a read-only token: queued uploads are dropped and counted as refused, the breaker stays closed, reads still hit', async () => {
    const seeded = Buffer.from('built on CI, read on a laptop')
    const seed = new RegionalLayer({ url: url(), token: writer })
    await seed.put('nx', sha(seeded), seeded, { size: seeded.length, sha256: sha(seeded) })
    await seed.close()

    const layer: LayerSpec = {
      id: url(), name: 'regional', kind: 'grpc', store: new RegionalLayer({ url: url(), token: reader }), timeoutMs: 5000,
      readOnly: false, writeThrough: true, workers: 2, breaker: { failures: 2, cooldownMs: 60_000 },
    }
    const local = open(join(root, 'daemon'), { uploads: { layers: [layer.id], maxEntries: 1000, maxBytes: 1 << 30 } })
    const registry = new Registry()
    const assembled = assembleChain({ local, layers: [layer], registry, logger: quiet, pollMs: 50 })
    try {
      const entries = 8
      for (let i = 0; i < entries; i++) {
        const body = Buffer.from(`local output ${i}`)
        await assembled.chain.put('nx', sha(body), body)
      }
      await until('the refused uploads left the queue', () => local.uploads.depth(layer.id).entries === 0, 15_000)
      assert.equal(await counter(registry, 'fabrik_uploads_total', { layer: 'regional', result: 'refused' }), entries)
      assert.equal(await counter(registry, 'fabrik_uploads_total', { layer: 'regional', result: 'failed' }), 0)
      assert.equal(assembled.guarded[0]!.breaker.state, 'closed', `${entries} refusals with breaker_failures = 2 did not open the breaker`)

      const got = await assembled.chain.get('nx', sha(seeded))
      assert.ok(got, 'the read went to the regional tier and hit')
      assert.deepEqual(await readResult(got), seeded)

      const [health] = layerHealth(assembled, local.uploads) as { refused?: { writes?: string; fix: string } }[]
      assert.match(health!.refused?.writes ?? '', /PERMISSION_DENIED/)
      const text = healthLines({ layers: layerHealth(assembled, local.uploads) }).join('\n')
      assert.match(text, /refused uploads: .*PERMISSION_DENIED/)
      assert.match(text, /fix: .*read_only = true/)
      assert.equal(quiet.lines.filter((l) => l.includes('refused our token')).length, 1, 'the refusal is logged once, not per upload')
    } finally {
      await assembled.chain.close()
    }
  })
})
