import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { loadConfig } from '../../../src/config/load.js'
import { maskSecret, maskValue } from '../../../src/config/mask.js'
import { showData, showTable } from '../../../src/config/show.js'
import { tempRoot, type TempRoot } from './_project.js'

describe('config show', () => {
  let root: TempRoot
  before(async () => {
    root = await tempRoot()
    await root.write(
      'proj/fabrik.toml',
      [
        'url = "https://user:hunter2@cache.example"',
        '[cache]',
        'max_size = "10GB"',
        '[[upstream]]',
        'url = "s3://bucket/prefix"',
        'access_key = "AKIAEXAMPLEKEY123456"',
        'secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
        '[p2p]',
        'secret = "correct-horse-battery-staple"',
      ].join('\n'),
    )
  })
  after(async () => {
    await root.cleanup()
  })

  it('masks secrets, keeping four characters to tell them apart', () => {
    assert.equal(maskSecret('correct-horse-battery-staple'), 'corr…(masked)')
    assert.equal(maskSecret('short'), '…(masked)')
    assert.equal(maskValue('p2p.secret', 'correct-horse-battery-staple'), 'corr…(masked)')
    assert.equal(maskValue('auth.public_key', '-----BEGIN PUBLIC KEY-----\nMIIB'), '----…(masked)')
    assert.equal(maskValue('url', 'https://u:pw@h.example/'), 'https://u:…(masked)@h.example/')
    assert.equal(maskValue('cache.dir', '/plain'), '/plain')
  })

  it('gives every key its value and source, with no secret in clear', async () => {
    const loaded = await loadConfig({ cwd: join(root.dir, 'proj'), env: { FABRIK_CONFIG_LOG_LEVEL: 'warn' }, flags: { 'grpc-port': '9092' } })
    const data = showData(loaded)
    assert.equal(data.path, join(root.dir, 'proj', 'fabrik.toml'))
    assert.deepEqual(data.values['cache.max_size'], { value: 10 * 1024 ** 3, source: 'file' })
    assert.deepEqual(data.values['observability.log_level'], { value: 'warn', source: 'env' })
    assert.deepEqual(data.values['daemon.grpc_port'], { value: 9092, source: 'flag' })
    assert.deepEqual(data.values['cache.eviction_policy'], { value: 'lfu', source: 'default' })
    assert.equal(data.values['p2p.secret']?.value, 'corr…(masked)')
    const json = JSON.stringify(data)
    for (const secret of ['hunter2', 'correct-horse', 'AKIAEXAMPLEKEY123456', 'wJalrXUtnFEMI']) {
      assert.ok(!json.includes(secret), secret)
    }
  })

  it('prints a table in human units with one row per upstream field', async () => {
    const loaded = await loadConfig({ cwd: join(root.dir, 'proj'), env: {}, flags: {} })
    const table = showTable(showData(loaded))
    assert.match(table, /^cache\.max_size +10GB +file$/m)
    assert.match(table, /^cache\.default_ttl +7d +default$/m)
    assert.match(table, /^upstream\[0\]\.timeout +30s +file$/m)
    assert.match(table, /^upstream\[0\]\.secret_key +wJal…\(masked\) +file$/m)
    assert.ok(!table.includes('correct-horse'))
  })
})
