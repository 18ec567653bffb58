import assert from 'node:assert/strict'
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { http } from '../../helpers/http.js'
import { makeKey, startServer, token, type TestKey, type TestServer } from './helpers.js'

// deploy/kubernetes/fabrik.yaml mounts the key Secret as a directory. kubelet writes such a volume as
// `<dir>/..<timestamp>/<file>`, `<dir>/..data -> ..<timestamp>` and `<dir>/<file> -> ..data/<file>`, and updates it
// by writing a new timestamped folder and renaming a new `..data` link over the old one. The server must pick the
// new keys up from that swap, with no restart and no SIGHUP.

async function writeVersion(dir: string, version: string, keys: TestKey[]): Promise<void> {
  await mkdir(join(dir, version))
  await writeFile(join(dir, version, 'jwt-keys.pem'), JSON.stringify({ keys: keys.map((k) => k.publicJwk) }))
  await symlink(version, join(dir, '..data_tmp'))
  await rename(join(dir, '..data_tmp'), join(dir, '..data'))
}

describe('fabrik server: keys from a Kubernetes Secret volume', () => {
  let s: TestServer
  let oldKey: TestKey
  let newKey: TestKey
  let keysDir: string
  before(async () => {
    oldKey = await makeKey('old')
    newKey = await makeKey('new')
    s = await startServer(async (c, dir) => {
      keysDir = join(dir, 'keys')
      await mkdir(keysDir)
      await writeVersion(keysDir, '..2026_12_02_01', [oldKey])
      await symlink('..data/jwt-keys.pem', join(keysDir, 'jwt-keys.pem'))
      c.auth.public_key_file = join(keysDir, 'jwt-keys.pem')
    })
  })
  after(() => s.close())

  it('accepts a key added by kubelet\'s symlink swap within seconds, and refuses one it removed', async () => {
    const read = async (t: string) => (await http('GET', `${s.http}/v1/cache/${'a'.repeat(64)}`, undefined, { authorization: `Bearer ${t}` })).status
    const oldToken = await token(oldKey)
    const newToken = await token(newKey)
    assert.equal(await read(oldToken), 404, 'the first key works (a miss)')
    assert.equal(await read(newToken), 401, 'the new key is not known yet')

    await writeVersion(keysDir, '..2026_12_02_02', [oldKey, newKey])
    await rm(join(keysDir, '..2026_12_02_01'), { recursive: true })
    const deadline = Date.now() + 8000
    let status = 0
    while (Date.now() < deadline && (status = await read(newToken)) !== 404) await new Promise((r) => setTimeout(r, 200))
    assert.equal(status, 404, 'the new key was picked up from the swapped directory')
    assert.equal(await read(oldToken), 404, 'the old key keeps working while it is listed')

    await writeVersion(keysDir, '..2026_12_02_03', [newKey])
    await rm(join(keysDir, '..2026_12_02_02'), { recursive: true })
    const gone = Date.now() + 8000
    while (Date.now() < gone && (status = await read(oldToken)) !== 401) await new Promise((r) => setTimeout(r, 200))
    assert.equal(status, 401, 'the removed key is refused')
  })
})
