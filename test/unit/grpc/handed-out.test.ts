import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { HandedOutFiles } from '../../../src/grpc/xcode/handed-out.js'

describe('files handed to Xcode (write_to_disk)', () => {
  let root: string
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-handed-out-'))
  })
  after(() => rm(root, { recursive: true, force: true }))

  it('gives each hand-out its own path in its folder', async () => {
    const files = new HandedOutFiles(join(root, 'a'), 60_000)
    const [p, q] = [await files.newPath('ab'.repeat(32)), await files.newPath('ab'.repeat(32))]
    assert.notEqual(p, q)
    assert.ok(p.startsWith(join(root, 'a', 'abababababababab-')))
    files.close()
  })

  it('removes files nobody picked up within the TTL, including those an earlier daemon left, and keeps fresh ones', async () => {
    const dir = join(root, 'b')
    await mkdir(dir)
    await writeFile(join(dir, 'left-by-earlier-daemon'), 'x')
    let now = Date.now() + 2 * 60_000 // the earlier daemon's file is two minutes old by this clock
    const files = new HandedOutFiles(dir, 60_000, () => now)
    const fresh = await files.newPath('cd'.repeat(32))
    await writeFile(fresh, 'y')
    await utimes(fresh, now / 1000, now / 1000) // written "now" by the test's clock
    assert.deepEqual(await readdir(dir), [fresh.slice(dir.length + 1)], 'the first hand-out swept the leftover')
    assert.equal(await files.sweep(), 0, 'a file inside the TTL stays')
    now += 2 * 60_000
    assert.equal(await files.sweep(), 1)
    assert.deepEqual(await readdir(dir), [])
    files.close()
  })
})
