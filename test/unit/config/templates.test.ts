import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeInitFile } from '../../../src/config/init.js'
import { loadConfig } from '../../../src/config/load.js'
import { initTemplate, TEMPLATE_NAMES, TEMPLATES } from '../../../src/config/templates.js'
import { isFabrikError } from '../../../src/errors/registry.js'
import { tempRoot, type TempRoot } from './_project.js'

describe('templates', () => {
  let root: TempRoot
  before(async () => {
    root = await tempRoot()
  })
  after(async () => {
    await root.cleanup()
  })

  for (const name of TEMPLATE_NAMES) {
    it(`the ${name} template loads cleanly with an empty environment`, async () => {
      await root.write(`${name}/fabrik.toml`, TEMPLATES[name])
      const loaded = await loadConfig({ cwd: join(root.dir, name), env: {}, flags: {} })
      assert.equal(loaded.path, join(root.dir, name, 'fabrik.toml'))
      assert.ok(Object.values(loaded.sources).includes('file'))
    })
  }

  it('the server template expands its variables when they are set', async () => {
    await root.write('server-env/fabrik.toml', TEMPLATES.server)
    const env = { FABRIK_S3_BUCKET: 'team-cache', FABRIK_CACHE_DIR: '/srv/cache' }
    const { config } = await loadConfig({ cwd: join(root.dir, 'server-env'), env, flags: {} })
    assert.equal(config.upstream[0]?.url, 's3://team-cache/cache')
    assert.equal(config.cache.dir, '/srv/cache')
    assert.equal(config.auth.required, true)
  })

  it('init writes the commented template and refuses to overwrite without force', async () => {
    const dir = join(root.dir, 'init')
    await root.write('init/.keep', '')
    const path = await writeInitFile({ dir, force: false })
    assert.equal(path, join(dir, 'fabrik.toml'))
    assert.equal(await readFile(path, 'utf8'), initTemplate())
    await root.write('init/fabrik.toml', '# mine\n')
    await assert.rejects(writeInitFile({ dir, force: false }), (err: unknown) => isFabrikError(err, 'CONFIG_EXISTS'))
    assert.equal(await readFile(path, 'utf8'), '# mine\n')
    await writeInitFile({ dir, force: true })
    assert.equal(await readFile(path, 'utf8'), initTemplate())
  })
})
