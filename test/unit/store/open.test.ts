import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { defaultConfig } from '../../../src/config/defaults.js'
import { openStoreFromConfig } from '../../../src/store/open.js'
import { tempDir } from './helpers.js'

describe('openStoreFromConfig', () => {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => ({ dir, cleanup } = await tempDir('fabrik-open-')))
  after(() => cleanup())

  it('opens the store described by [cache]: folder, size limit and eviction policy', async () => {
    const config = defaultConfig()
    config.cache = { ...config.cache, dir: join(dir, 'cache'), max_size: 12345, eviction_policy: 'ttl', default_ttl: 60_000 }
    const store = openStoreFromConfig(config)
    try {
      assert.equal(store.layout.dir, join(dir, 'cache'))
      assert.equal(store.maxSize, 12345)
      assert.equal(store.policy, 'ttl')
      assert.equal(store.stats().maxBytes, 12345)
    } finally {
      await store.close()
    }
  })
})
