import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Registry } from 'prom-client'
import { formatEntry } from '../../../src/daemon/log-view.js'
import { assembleChain } from '../../../src/layers/build.js'
import { WHOLE_BYTES } from '../../../src/layers/chain.js'
import type { LayerLogger } from '../../../src/layers/types.js'
import { StatsRecorder } from '../../../src/stats/recorder.js'
import { readResult } from '../../../src/store/result.js'
import { collect, open, tempDir } from '../store/helpers.js'
import { until } from '../../helpers/until.js'
import { FakeLayer, spec } from './helpers.js'

// A layer's hit is counted (in the statistics) and logged only when the chain serves it: after its body passed
// the size and digest checks. `fabrik stats` derives local hits as client hits minus layer hits, so a bad body
// counted as a layer hit would make local hits vanish.

interface Line { level: string; obj: Record<string, unknown>; msg: string }

function capture(): LayerLogger & { lines: Line[] } {
  const lines: Line[] = []
  const at = (level: string) => (obj: object, msg: string) => { lines.push({ level, obj: obj as Record<string, unknown>, msg }) }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

describe('layer chain: hits counted and logged when served', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-served-')))
  after(() => cleanup())

  function setup() {
    const [bad, good] = [new FakeLayer(), new FakeLayer()]
    const stats = new StatsRecorder({ retentionMs: 86_400_000 })
    const logger = capture()
    const local = open(join(root, `l${n++}`))
    const { chain } = assembleChain({
      local, layers: [spec(bad, 'bad'), spec(good, 'good')], registry: new Registry(), logger, observer: stats,
    })
    const layerFigures = (name: string) => stats.report(0).layers.find((l) => l.layer === name)
    return { bad, good, stats, logger, chain, local, layerFigures }
  }

  it('does not count a hit whose body fails verification; counts the next layer that serves a good copy', async (t) => {
    const s = setup()
    t.after(() => s.chain.close())
    const bytes = Buffer.alloc(4000, 3)
    await s.bad.put('nx', 'k', bytes)
    await s.good.put('nx', 'k', bytes)
    s.bad.behaviour = 'corrupt'
    assert.ok((await readResult((await s.chain.get('nx', 'k'))!)).equals(bytes))
    assert.equal(s.layerFigures('bad')?.hits ?? 0, 0, 'the corrupt answer is no hit')
    assert.equal(s.layerFigures('bad')?.errors, 1)
    assert.equal(s.layerFigures('good')?.hits, 1)
    // One debug line per layer that was read: a hit for the layer that served, with its bytes.
    const reads = s.logger.lines.filter((l) => l.level === 'debug' && l.msg === 'layer read')
    assert.deepEqual(reads.map((l) => [l.obj.layer, l.obj.outcome]), [['bad', 'error'], ['good', 'hit']])
    const hit = reads[1]!.obj
    assert.equal(hit.ns, 'nx')
    assert.equal(hit.key, 'k')
    assert.equal(hit.bytes, bytes.length)
    assert.equal(typeof hit.ms, 'number')
    // `fabrik daemon logs` shows the layer in its column.
    const shown = formatEntry({ level: 20, time: 0, ...hit, msg: 'layer read' })
    assert.match(shown, /get\s+k\s+good\s+hit\b/)
  })

  it('logs a miss per layer asked, and counts no hit when no layer has the key', async (t) => {
    const s = setup()
    t.after(() => s.chain.close())
    assert.equal(await s.chain.get('nx', 'absent'), undefined)
    const reads = s.logger.lines.filter((l) => l.msg === 'layer read')
    assert.deepEqual(reads.map((l) => [l.obj.layer, l.obj.outcome, l.obj.key]), [['bad', 'miss', 'absent'], ['good', 'miss', 'absent']])
    assert.equal(s.layerFigures('good')?.hits ?? 0, 0)
    assert.equal(s.layerFigures('good')?.misses, 1)
  })

  it('does not count a reference read (an action result\'s inlined output) as a layer hit, but still logs it', async (t) => {
    const s = setup()
    t.after(() => s.chain.close())
    await s.good.put('nx', 'ref', Buffer.from('stdout of an action'))
    assert.ok(await s.chain.get('nx', 'ref', { reference: true }))
    assert.equal(s.layerFigures('good')?.hits ?? 0, 0)
    assert.ok(s.logger.lines.some((l) => l.msg === 'layer read' && l.obj.layer === 'good' && l.obj.outcome === 'hit'))
  })

  it('counts a large streamed hit once its whole body was verified, and not one that broke off', async (t) => {
    const s = setup()
    t.after(() => s.chain.close())
    const big = Buffer.alloc(WHOLE_BYTES + 100_000, 9)
    await s.bad.put('nx', 'big', big)
    s.bad.behaviour = 'corrupt'
    await assert.rejects(async () => collect((await s.chain.get('nx', 'big'))!.stream))
    assert.equal(s.layerFigures('bad')?.hits ?? 0, 0)
    // Until the failed fetch has settled, a concurrent get would share it (single flight) and miss.
    await new Promise((resolve) => setTimeout(resolve, 100))
    s.bad.behaviour = 'ok'
    assert.ok((await collect((await s.chain.get('nx', 'big'))!.stream)).equals(big))
    // The count comes when the verifier's pipeline ends, right after the last byte.
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(s.layerFigures('bad')?.hits, 1)
    assert.ok(s.logger.lines.some((l) => l.msg === 'layer read' && l.obj.outcome === 'hit' && l.obj.bytes === big.length))
    // The copy into the local store finishes after the client's stream: wait for it before the store closes.
    await until('the entry is kept locally', () => s.local.has('nx', 'big'))
  })
})
